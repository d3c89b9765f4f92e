// Chapter 01 — pipes: the graded tests. Each TEST_CASE carries its points.
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "ipclab/die.hpp"
#include "ipclab/expect.hpp"
#include "ipclab/sandbox.hpp"
#include "pipes.hpp"

namespace sandbox = ipclab::sandbox;
namespace expect = ipclab::expect;
using namespace std::chrono_literals;

namespace {

/// A pipeline written as argv vectors, kept alive for the call.
struct pipeline {
  std::vector<std::vector<const char*>> argvs;
  std::vector<const char* const*> table;
  pipeline(std::initializer_list<std::initializer_list<const char*>> cmds) {
    for (auto c : cmds) {
      argvs.emplace_back(c);
      argvs.back().push_back(nullptr);
    }
    for (auto& a : argvs) table.push_back(a.data());
  }
  int size() const { return static_cast<int>(table.size()); }
};

/// Runs the student's run_pipeline on @p p, feeding @p input, collecting stdout.
sandbox::result run(const pipeline& p, const std::string& input, sandbox::output_pipe& out,
                    sandbox::limits lim = {}) {
  sandbox::input_pipe in(input);
  return sandbox::call(
      [&](sandbox::child&) -> long {
        return STUDENT(run_pipeline)(p.table.data(), p.size(), in.fd(), out.fd());
      },
      lim, {in, out});
}

void expect_exit_status(const sandbox::result& r, int code, const std::string& what) {
  expect::returned(r);
  INFO(what);
  if (code != 0 && r.value == code) FAIL("return the whole status from waitpid(), not WEXITSTATUS() of it");
  if (r.value < 0) FAIL("it " + r.story());
  if (!WIFEXITED(r.value)) FAIL("the returned status does not say \"exited\": " + expect::wait_status(r.value));
  CHECK(WEXITSTATUS(r.value) == code);
}

void expect_output(const sandbox::result& r, const sandbox::output_pipe& out, const std::string& want) {
  expect::returned(r);
  if (out.data().empty() && r.out.find(want) != std::string::npos)
    FAIL("the output went to the caller's own stdout, not to out_fd: in the last child, "
         "dup2(out_fd, STDOUT_FILENO) before execvp()");
  CHECK(out.data() == want);
}

}  // namespace

TEST_CASE("one command: its output reaches out_fd and its status is returned", "[pipeline][pts=2]") {
  sandbox::output_pipe out;
  auto r = run({{"echo", "hello, pipe"}}, "", out);
  expect_output(r, out, "hello, pipe\n");
  expect_exit_status(r, 0, "echo exits with 0");
}

TEST_CASE("two commands: the first's stdout is the second's stdin", "[pipeline][pts=2]") {
  sandbox::output_pipe out;
  auto r = run({{"printf", "pear\\napple\\nfig\\n"}, {"sort"}}, "", out);
  expect_output(r, out, "apple\nfig\npear\n");
}

TEST_CASE("four commands, with in_fd feeding the first", "[pipeline][pts=2]") {
  sandbox::output_pipe out;
  auto r = run({{"tr", "a-z", "A-Z"}, {"tr", " ", "\\n"}, {"sort", "-r"}, {"head", "-n", "2"}},
               "one two three four\n", out);
  expect_output(r, out, "TWO\nTHREE\n");
}

TEST_CASE("the returned status is the last command's", "[pipeline][status][pts=2]") {
  sandbox::output_pipe out1, out2;
  expect_exit_status(run({{"true"}, {"false"}}, "", out1), 1, "true | false must report false's status 1");
  expect_exit_status(run({{"false"}, {"true"}}, "", out2), 0, "false | true must report true's status 0");
}

TEST_CASE("a command that cannot be run exits with 127", "[pipeline][status][pts=2]") {
  sandbox::output_pipe out1, out2;
  expect_exit_status(run({{"echo", "x"}, {"ipclab-no-such-command"}}, "", out1), 127,
                     "the child must _exit(127) when execvp() fails");
  auto r = run({{"ipclab-no-such-command"}, {"echo", "still runs"}}, "", out2);
  expect_exit_status(r, 0, "a missing first command: the rest of the pipeline still runs");
  expect_output(r, out2, "still runs\n");
  expect::clean(r);
}

TEST_CASE("a child whose execvp() failed leaves with _exit(): the caller's stdio buffer is not flushed twice", "[pipeline][status][pts=2]") {
  sandbox::output_pipe out;
  auto r = sandbox::call(
      [&](sandbox::child&) -> long {
        // Stays in stdout's buffer (a pipe: fully buffered) until the fflush below;
        // every child forked meanwhile holds a copy of that buffer.
        std::fputs("written once by the caller\n", stdout);
        pipeline p{{"ipclab-no-such-command"}};
        int rc = STUDENT(run_pipeline)(p.table.data(), p.size(), 0, out.fd());
        std::fflush(stdout);
        return rc;
      },
      {out});
  expect::returned(r);
  if (!out.data().empty() || r.out != "written once by the caller\n")
    FAIL("the caller's unflushed stdout buffer came out again from the child whose execvp() failed"
         << (out.data().empty() ? "" : " (into out_fd: \"" + out.data() + "\")")
         << ": after a failed exec the child called exit(), which flushes the stdio buffers it "
            "inherited; leave with _exit(127), which does not (APUE 8.3, 8.10)");
  expect_exit_status(r, 127, "the child must _exit(127) when execvp() fails");
}

TEST_CASE("bad arguments fail with EINVAL and start nothing", "[pipeline][errors][pts=2]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    const char* empty_argv[] = {nullptr};
    const char* const* with_empty[] = {empty_argv};
    const char* const* with_null[] = {nullptr};
    const char* echo[] = {"echo", nullptr};
    const char* const* ok[] = {echo};
    struct {
      const char* const* const* cmds;
      int n;
    } cases[] = {{ok, 0}, {ok, -1}, {nullptr, 1}, {with_empty, 1}, {with_null, 1}};
    for (auto& k : cases) {
      errno = 0;
      int rc = STUDENT(run_pipeline)(k.cmds, k.n, 0, 1);
      c.send(std::to_string(rc) + " " + ipclab::errno_name(errno));
    }
    return 0;
  });
  expect::returned(r);
  const char* what[] = {"count 0", "count -1", "commands == nullptr", "an empty argv", "a null argv"};
  REQUIRE(r.messages.size() == 5);
  for (int i = 0; i < 5; ++i) {
    INFO("for " << what[i] << " expected -1 with EINVAL; got " << r.messages[i]);
    CHECK(r.messages[i] == "-1 EINVAL");
  }
  expect::clean(r);
}

TEST_CASE("more data than a pipe holds flows through without deadlock", "[pipeline][pts=2]") {
  std::string big;
  for (int i = 0; big.size() < (1u << 20); ++i) big += "line " + std::to_string(i) + "\n";
  sandbox::output_pipe out;
  auto r = run({{"cat"}, {"cat"}, {"cat"}}, big, out);
  expect::returned(r);
  CHECK(out.data().size() == big.size());
  bool intact = out.data() == big;
  INFO("the bytes that came out differ from the 1 MiB that went in");
  CHECK(intact);
}

TEST_CASE("every reader sees end-of-file: no stray write end stays open", "[pipeline][eof][pts=3]") {
  sandbox::output_pipe out;
  auto r = run({{"cat"}, {"cat"}, {"cat"}, {"wc", "-l"}}, "a\nb\nc\n", out, {.wall = 3s});
  expect_output(r, out, "3\n");
}

TEST_CASE("each command holds only fds 0, 1 and 2", "[pipeline][fds][pts=2]") {
  sandbox::output_pipe out;
  // ls itself opens the directory it lists (fd 3): any other number leaked in.
  auto r = run({{"cat"}, {"ls", "/proc/self/fd"}, {"tr", "\\n", " "}}, "", out);
  expect::returned(r);
  INFO("ls saw these descriptors in its own process: " << out.data()
       << "\nclose every pipe end a child does not use (and in_fd/out_fd once dup2'ed) before execvp()");
  CHECK(out.data() == "0 1 2 3 ");
}

TEST_CASE("nothing is left behind: no fd, no zombie; in_fd and out_fd stay open", "[pipeline][cleanup][pts=3]") {
  sandbox::output_pipe out;
  sandbox::input_pipe in("x\n");
  auto r = sandbox::call(
      [&](sandbox::child& c) -> long {
        pipeline p{{"cat"}, {"cat"}, {"cat"}};
        int rc = STUDENT(run_pipeline)(p.table.data(), p.size(), in.fd(), out.fd());
        bool both_open = fcntl(in.fd(), F_GETFD) >= 0 && fcntl(out.fd(), F_GETFD) >= 0;
        c.send(both_open ? "open" : "closed");
        return rc;
      },
      {in, out});
  expect::clean(r);
  expect_output(r, out, "x\n");
  REQUIRE(r.messages.size() == 1);
  INFO("in_fd and out_fd belong to the caller: the parent must not close them");
  CHECK(r.messages[0] == "open");
}

TEST_CASE("when pipe() fails with EMFILE, it says so and leaves nothing", "[pipeline][errors][pts=2]") {
  auto r = sandbox::call([](sandbox::child&) -> long {
    // Fill the descriptor table but one slot: a pipe needs two.
    std::vector<int> filler;
    for (int fd; (fd = dup(0)) >= 0;) filler.push_back(fd);
    close(filler.back());
    filler.pop_back();
    pipeline p{{"echo", "x"}, {"cat"}};
    int rc = STUDENT(run_pipeline)(p.table.data(), p.size(), 0, 1);
    int err = errno;
    for (int fd : filler) close(fd);
    errno = err;
    return rc;
  });
  expect::failed_with(r, EMFILE, "run_pipeline with no room for a pipe");
  expect::clean(r);
}

TEST_CASE("a signal interrupting run_pipeline's waitpid: it retries and returns the status", "[pipeline][eintr][pts=2]") {
  sandbox::output_pipe out;
  sandbox::limits lim{.wall = 3s};
  lim.interrupt.syscalls = {SYS_wait4, SYS_waitid};
  auto r = sandbox::call(
      [&](sandbox::child&) -> long {
        // The command ends only once the gate opens, which only the signal
        // does: the signal always finds run_pipeline waiting for it.
        int gate = sandbox::interrupt_gate();
        if (gate < 0) return -2;
        pipeline p{{"sh", "-c", "cat; exit 7"}};
        int rc = STUDENT(run_pipeline)(p.table.data(), p.size(), gate, out.fd());
        int err = errno;
        close(gate);
        errno = err;
        return rc;
      },
      lim, {out});
  if (!r.interrupted)
    FAIL("run_pipeline never blocked in waitpid() while its command ran, so the test could not "
         "interrupt it; it " << r.story());
  expect::returned(r);
  if (r.value == -1 && r.error == EINTR)
    FAIL("run_pipeline returned -1 with EINTR: a signal interrupted its waitpid(); retry waitpid() "
         "while it fails with EINTR, the command is still to be collected (APUE 10.5)");
  if (!WIFEXITED(r.value) || WEXITSTATUS(r.value) != 7)
    FAIL("a signal interrupted its waitpid() and run_pipeline then returned "
         << expect::wait_status(r.value) << " instead of the status \"exited with 7\": retry waitpid() while it fails with EINTR "
            "(APUE 10.5)");
  expect::clean(r);
}

TEST_CASE("TELL_WAIT makes parent and child strictly alternate", "[tell-wait][pts=3]") {
  sandbox::output_pipe out;
  constexpr int rounds = 50;
  auto r = sandbox::call(
      [&](sandbox::child&) -> long {
        if (STUDENT(TELL_WAIT)() < 0) return -1;
        pid_t pid = fork();
        if (pid == 0) {
          for (int i = 0; i < rounds; ++i) {
            if (write(out.fd(), "c", 1) != 1) _exit(1);
            if (STUDENT(TELL_PARENT)(getppid()) < 0 || STUDENT(WAIT_PARENT)() < 0) _exit(2);
          }
          _exit(0);
        }
        long rc = 0;
        for (int i = 0; i < rounds && rc == 0; ++i) {
          if (STUDENT(WAIT_CHILD)() < 0) rc = -1;
          else if (write(out.fd(), "p", 1) != 1 || STUDENT(TELL_CHILD)(pid) < 0) rc = -1;
        }
        int saved = errno;
        if (rc != 0) kill(pid, SIGKILL);
        int st = 0;
        waitpid(pid, &st, 0);
        errno = saved;
        return rc;
      },
      {out});
  expect::returned_value(r, 0, "every WAIT_CHILD/TELL_CHILD in the parent should succeed");
  std::string want;
  for (int i = 0; i < rounds; ++i) want += "cp";
  INFO("c = the child's turn, p = the parent's; each must wait for the other's TELL");
  CHECK(out.data() == want);
}

TEST_CASE("TELL_WAIT() called again closes the pipes of the earlier call", "[tell-wait][fds][pts=1]") {
  auto r = sandbox::call([](sandbox::child&) -> long {
    if (STUDENT(TELL_WAIT)() < 0 || STUDENT(TELL_WAIT)() < 0) return -1;
    return 0;
  });
  expect::returned_value(r, 0, "TELL_WAIT() twice");
  INFO("after TELL_WAIT() twice the caller holds these descriptors it did not hold before:");
  for (const auto& f : r.fds_left) UNSCOPED_INFO("  fd " << f.fd << " -> " << f.target << " (" << f.access << " end)");
  if (r.fds_left.size() > 4)
    FAIL("TELL_WAIT() called a second time left the first call's pipes open ("
         << r.fds_left.size() << " descriptors instead of 4): close the earlier pipes before making new ones");
  CHECK(r.fds_left.size() == 4);
}

TEST_CASE("TELL_WAIT() failing with EMFILE leaves no descriptor of its first pipe", "[tell-wait][errors][pts=1]") {
  auto r = sandbox::call([](sandbox::child&) -> long {
    // Room for exactly three descriptors: the first pipe fits, the second does not.
    std::vector<int> filler;
    for (int fd; (fd = dup(0)) >= 0;) filler.push_back(fd);
    for (int i = 0; i < 3; ++i) {
      close(filler.back());
      filler.pop_back();
    }
    int rc = STUDENT(TELL_WAIT)();
    int err = errno;
    for (int fd : filler) close(fd);
    errno = err;
    return rc;
  });
  expect::failed_with(r, EMFILE, "TELL_WAIT() with room for one pipe only");
  if (!r.fds_left.empty())
    FAIL("TELL_WAIT() failed but left " << r.fds_left.size()
         << " descriptors of its first pipe open: when the second pipe() fails, close the first "
            "pipe before returning -1");
  SUCCEED();
}

TEST_CASE("a TELL to a partner that has exited succeeds: each process holds all four ends", "[tell-wait][pts=1]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    if (STUDENT(TELL_WAIT)() < 0) return -1;
    pid_t pid = fork();
    if (pid == 0) _exit(0);
    int st = 0;
    waitpid(pid, &st, 0);
    errno = 0;
    c.send(std::to_string(STUDENT(TELL_CHILD)(pid)) + " " + ipclab::errno_name(errno));
    return 0;
  });
  expect::returned(r);
  REQUIRE(r.messages.size() == 1);
  INFO("TELL_CHILD after the child exited: the caller still holds the read end of the child's pipe, "
       "so the byte is simply queued (expected \"0\", got \"" << r.messages[0] << "\"); see the "
       "contract in pipes.hpp");
  CHECK(r.messages[0].rfind("0 ", 0) == 0);
}

namespace {
pid_t partner = -1;
void wake_partner() { kill(partner, SIGUSR2); }
}  // namespace

TEST_CASE("a signal interrupting WAIT_CHILD's read: it retries and still gets the TELL", "[tell-wait][eintr][pts=1]") {
  sandbox::limits lim{.wall = 3s};
  lim.interrupt.syscalls = {SYS_read, SYS_readv};
  auto r = sandbox::call(
      [](sandbox::child&) -> long {
        if (STUDENT(TELL_WAIT)() < 0) return -2;
        // The child tells only once woken by SIGUSR2, which the interrupt's
        // handler sends: the signal always finds WAIT_CHILD waiting.
        sigset_t usr2;
        sigemptyset(&usr2);
        sigaddset(&usr2, SIGUSR2);
        sigprocmask(SIG_BLOCK, &usr2, nullptr);
        pid_t pid = fork();
        if (pid == 0) {
          int sig = 0;
          sigwait(&usr2, &sig);
          _exit(STUDENT(TELL_PARENT)(getppid()) == 0 ? 0 : 1);
        }
        partner = pid;
        sandbox::interruptible(wake_partner);
        int rc = STUDENT(WAIT_CHILD)();
        int err = errno;
        int st = 0;
        waitpid(pid, &st, 0);
        errno = err;
        return rc;
      },
      lim);
  if (!r.interrupted)
    FAIL("WAIT_CHILD never blocked in read(), so the test could not interrupt it; it " << r.story());
  if (r.returned() && r.value == -1 && r.error == EINTR)
    FAIL("WAIT_CHILD returned -1 with EINTR: a signal interrupted its read(); retry the read while it "
         "fails with EINTR, the child's TELL is still to come (APUE 10.5)");
  expect::returned_value(r, 0, "WAIT_CHILD, interrupted once, then told");
}

TEST_CASE("TELL/WAIT before TELL_WAIT() fail with EINVAL", "[tell-wait][errors][pts=1]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    int (*waits[])() = {STUDENT(WAIT_PARENT), STUDENT(WAIT_CHILD)};
    int (*tells[])(pid_t) = {STUDENT(TELL_PARENT), STUDENT(TELL_CHILD)};
    for (auto w : waits) {
      errno = 0;
      int rc = w();
      c.send(std::to_string(rc) + " " + ipclab::errno_name(errno));
    }
    for (auto t : tells) {
      errno = 0;
      int rc = t(getpid());
      c.send(std::to_string(rc) + " " + ipclab::errno_name(errno));
    }
    return 0;
  }, {.wall = 2s});
  expect::returned(r);
  REQUIRE(r.messages.size() == 4);
  for (const auto& m : r.messages) {
    INFO("without TELL_WAIT() there is no pipe yet: expected -1 with EINVAL, got " << m);
    CHECK(m == "-1 EINVAL");
  }
}
