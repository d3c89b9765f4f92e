// Chapter 02 — popen: the graded tests. Each TEST_CASE carries its points.
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "ipclab/die.hpp"
#include "ipclab/expect.hpp"
#include "ipclab/sandbox.hpp"
#include "popen.hpp"

namespace sandbox = ipclab::sandbox;
namespace expect = ipclab::expect;
using namespace std::chrono_literals;

namespace {

/// "-1 EINVAL" style summary of a call's outcome, for messages.
std::string outcome(long rc) {
  return std::to_string(rc) + (rc < 0 ? std::string(" ") + ipclab::errno_name(errno) : std::string());
}

/// Inside a call: everything a stream gives until end-of-file.
std::string slurp(FILE* fp) {
  std::string all;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, fp)) > 0) all.append(buf, n);
  return all;
}

/// Inside a call: popen @p cmd for reading, send its output, return pclose's value.
long read_command(sandbox::child& c, const char* cmd) {
  FILE* fp = STUDENT(lab_popen)(cmd, "r");
  if (fp == nullptr) return -1;
  c.send(slurp(fp));
  return STUDENT(lab_pclose)(fp);
}

/// The returned value is a waitpid status saying "exited with @p code".
void expect_exited(const sandbox::result& r, int code, const std::string& what) {
  expect::returned(r);
  INFO(what);
  if (r.value < 0) FAIL("it " + r.story());
  if (code != 0 && r.value == code)
    FAIL("return the whole status from waitpid(), not WEXITSTATUS() of it (APUE 15.3, 8.6)");
  INFO("the status says: " << expect::wait_status(r.value));
  REQUIRE(WIFEXITED(r.value));
  CHECK(WEXITSTATUS(r.value) == code);
}

/// The call returned and sent exactly @p n messages; otherwise says what it sent.
void require_messages(const sandbox::result& r, size_t n) {
  expect::returned(r);
  if (r.messages.size() == n) return;
  std::string sent;
  for (const auto& m : r.messages) sent += "\n  " + m;
  FAIL("expected " << n << " results from the call, got " << r.messages.size() << ":" << sent << "\nthe call "
                   << r.story());
}

/// The status @p st (sent as text) says "killed by @p sig".
void expect_killed_by(const std::string& st, int sig, const std::string& what) {
  INFO(what << "; got status " << st);
  REQUIRE(st.find_first_not_of("0123456789") == std::string::npos);
  int status = std::stoi(st);
  INFO("that is: " << ipclab::expect::wait_status(status));
  CHECK(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == sig);
}

}  // namespace

TEST_CASE("lab_popen \"r\": the stream reads the command's output", "[popen][pts=2]") {
  auto r = sandbox::call([](sandbox::child& c) { return read_command(c, "printf 'one\\ntwo\\n'; echo three"); });
  expect_exited(r, 0, "printf; echo exits with 0");
  require_messages(r, 1);
  if (r.messages[0].empty() && r.out.find("three") != std::string::npos)
    FAIL("the output went to the caller's stdout, not into the pipe: for \"r\", dup2 the write end "
         "onto the child's STDOUT_FILENO");
  CHECK(r.messages[0] == "one\ntwo\nthree\n");
  expect::clean(r);
}

TEST_CASE("lab_popen \"w\": what the stream writes is the command's input", "[popen][pts=2]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    FILE* up = STUDENT(lab_popen)("tr a-z A-Z", "w");
    if (up == nullptr) return -1;
    fputs("shout this\n", up);
    long st = STUDENT(lab_pclose)(up);
    c.send(std::to_string(st));
    // More than a pipe holds: the writer must block, not lose data.
    FILE* count = STUDENT(lab_popen)("wc -c", "w");
    if (count == nullptr) return -1;
    std::string big(300000, 'x');
    fwrite(big.data(), 1, big.size(), count);
    return STUDENT(lab_pclose)(count);
  });
  expect_exited(r, 0, "wc -c exits with 0");
  {
    INFO("the commands write to the caller's stdout; it showed: " << r.out);
    CHECK(r.out.find("SHOUT THIS\n") != std::string::npos);
  }
  CHECK(r.out.find("300000\n") != std::string::npos);
  expect::clean(r);
}

TEST_CASE("lab_pclose returns the command's whole termination status", "[pclose][status][pts=2]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    FILE* fp = STUDENT(lab_popen)("kill -TERM $$", "r");
    if (fp == nullptr) return -1;
    slurp(fp);
    c.send(std::to_string(STUDENT(lab_pclose)(fp)));
    return read_command(c, "echo failing; exit 3");
  });
  expect_exited(r, 3, "`exit 3` must be reported as \"exited with 3\"");
  require_messages(r, 2);
  CHECK(r.messages[1] == "failing\n");
  expect_killed_by(r.messages[0], SIGTERM, "a shell that killed itself with SIGTERM");
  expect::clean(r);
}

TEST_CASE("a command the shell cannot find: lab_popen succeeds, lab_pclose says 127", "[popen][status][pts=2]") {
  auto r = sandbox::call([](sandbox::child& c) { return read_command(c, "ipclab-no-such-command 2>/dev/null"); });
  expect_exited(r, 127, "sh -c reports a command it cannot find with exit status 127; lab_popen itself "
                        "only fails when pipe/fork fail");
  expect::clean(r);
}

TEST_CASE("a bad type or a null argument fails with EINVAL and starts nothing", "[popen][errors][pts=2]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    struct {
      const char* cmd;
      const char* type;
    } cases[] = {{"true", "rw"}, {"true", "x"}, {"true", ""}, {"true", "R"}, {"true", nullptr}, {nullptr, "r"}};
    for (auto& k : cases) {
      errno = 0;
      FILE* fp = STUDENT(lab_popen)(k.cmd, k.type);
      c.send(fp == nullptr ? outcome(-1) : "a stream");
    }
    return 0;
  });
  expect::returned(r);
  const char* what[] = {"type \"rw\"", "type \"x\"", "type \"\"", "type \"R\"", "type nullptr", "cmdstring nullptr"};
  require_messages(r, 6);
  for (size_t i = 0; i < 6; ++i) {
    INFO("for " << what[i] << " expected a null stream with EINVAL, got " << r.messages[i]
                << " (check the arguments before pipe() and fork())");
    CHECK(r.messages[i] == "-1 EINVAL");
  }
  expect::clean(r);
}

TEST_CASE("lab_pclose of a stream lab_popen did not open is EINVAL and leaves it open", "[pclose][errors][pts=2]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    FILE* own = fopen("/dev/null", "r");
    if (own == nullptr) return -2;
    errno = 0;
    c.send(outcome(STUDENT(lab_pclose)(own)));
    errno = 0;
    c.send(outcome(STUDENT(lab_pclose)(nullptr)));
    c.send(fcntl(fileno(own), F_GETFD) >= 0 ? "still open" : "closed");
    fclose(own);
    return 0;
  });
  require_messages(r, 3);
  {
    INFO("a stream fopen() opened has no child: look it up in your pid table and say EINVAL (APUE 15.3)");
    CHECK(r.messages[0] == "-1 EINVAL");
  }
  CHECK(r.messages[1] == "-1 EINVAL");
  INFO("the stream is the caller's: do not fclose it when it is not yours");
  CHECK(r.messages[2] == "still open");
}

TEST_CASE("an earlier \"w\" stream's command sees end-of-file while a later stream is open", "[popen][eof][pts=3]") {
  auto r = sandbox::call(
      [](sandbox::child& c) -> long {
        FILE* first = STUDENT(lab_popen)("wc -l", "w");
        if (first == nullptr) return -1;
        FILE* second = STUDENT(lab_popen)("cat >/dev/null", "w");
        if (second == nullptr) return -1;
        fputs("a\nb\nc\n", first);
        c.send(std::to_string(STUDENT(lab_pclose)(first)));  // wc must see end-of-file now
        return STUDENT(lab_pclose)(second);
      },
      {.wall = 3s});
  {
    INFO("closing the first stream must end `wc -l` even though `cat` (started later) still runs: "
         "the second child inherited the first stream's write end and must close it before exec "
         "(APUE 15.3: the child closes every descriptor in childpid[])");
    expect_exited(r, 0, "cat exits with 0");
  }
  CHECK(r.out == "3\n");
  expect::clean(r);
}

TEST_CASE("a command holds only fds 0, 1 and 2, even with other streams open", "[popen][fds][pts=2]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    FILE* w = STUDENT(lab_popen)("cat >/dev/null", "w");
    FILE* rd = STUDENT(lab_popen)("echo earlier", "r");
    if (w == nullptr || rd == nullptr) return -1;
    // ls opens the directory it lists (fd 3); any other number leaked in.
    long st = read_command(c, "echo $(ls /proc/self/fd)");
    slurp(rd);
    STUDENT(lab_pclose)(rd);
    STUDENT(lab_pclose)(w);
    return st;
  });
  expect_exited(r, 0, "ls exits with 0");
  require_messages(r, 1);
  {
    INFO("ls saw these descriptors in its own process: " << r.messages[0]
         << "close, in the child, both ends of the new pipe once dup2'ed, and every earlier stream's end");
    CHECK(r.messages[0] == "0 1 2 3\n");
  }
  expect::clean(r);
}

TEST_CASE("lab_pclose retries waitpid when a signal interrupts it", "[pclose][eintr][pts=2]") {
  sandbox::limits lim{.wall = 3s};
  lim.interrupt.syscalls = {SYS_wait4, SYS_waitid};
  auto r = sandbox::call(
      [](sandbox::child&) -> long {
        // The command reads the caller's stdin, a gate only the signal opens:
        // it cannot end before the signal finds lab_pclose waiting for it.
        int gate = sandbox::interrupt_gate();
        if (gate < 0 || dup2(gate, STDIN_FILENO) < 0) return -2;
        close(gate);
        FILE* fp = STUDENT(lab_popen)("cat; exit 7", "r");
        if (fp == nullptr) return -1;
        return STUDENT(lab_pclose)(fp);
      },
      lim);
  if (!r.interrupted)
    FAIL("lab_pclose never blocked in waitpid() while its command ran, so the test could not "
         "interrupt it; it " << r.story());
  if (r.returned() && r.value == -1 && r.error == EINTR)
    FAIL("lab_pclose returned -1 with EINTR: a signal interrupted waitpid(); retry it, the command "
         "is still to be collected (APUE 15.3, 10.5)");
  if (r.returned() && r.value >= 0 && !(WIFEXITED(r.value) && WEXITSTATUS(r.value) == 7))
    FAIL("a signal interrupted lab_pclose's waitpid() and it then returned " << expect::wait_status(r.value)
         << " instead of \"exited with 7\": retry waitpid() while it fails with EINTR (APUE 10.5)");
  expect_exited(r, 7, "the command exits with 7");
  expect::clean(r);
}

TEST_CASE("lab_pclose of a stream it did not open, after lab_popen ran, is EINVAL", "[pclose][errors][pts=2]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    FILE* fp = STUDENT(lab_popen)("true", "r");
    if (fp == nullptr) return -1;
    FILE* own = fopen("/dev/null", "r");
    if (own == nullptr) return -2;
    int own_fd = fileno(own);
    errno = 0;
    c.send(outcome(STUDENT(lab_pclose)(own)));
    bool open = fcntl(own_fd, F_GETFD) >= 0;  // else lab_pclose fclose()d it: not ours to free again
    c.send(open ? "still open" : "closed");
    slurp(fp);
    c.send(std::to_string(STUDENT(lab_pclose)(fp)));
    if (open) fclose(own);
    return 0;
  });
  require_messages(r, 3);
  if (r.messages[0] != "-1 EINVAL")
    FAIL("lab_pclose(a stream fopen() opened) returned " << r.messages[0] << " while a lab_popen stream "
         "was open: a descriptor with no pid in your table (0 there) is not yours; say EINVAL and "
         "never waitpid() for pid 0, which waits for any child (APUE 15.3)");
  {
    INFO("the stream is the caller's: do not fclose it when it is not yours");
    CHECK(r.messages[1] == "still open");
  }
  {
    INFO("the real stream must still close: got status " << r.messages[2]);
    CHECK(r.messages[2] == "0");
  }
  expect::clean(r);
}

TEST_CASE("after lab_pclose, a stream reusing the descriptor number is not taken for the old one", "[pclose][errors][pts=2]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    FILE* fp = STUDENT(lab_popen)("true", "r");
    if (fp == nullptr) return -1;
    int fd = fileno(fp);
    slurp(fp);
    c.send(std::to_string(STUDENT(lab_pclose)(fp)));
    FILE* own = fopen("/dev/null", "r");
    if (own == nullptr) return -2;
    c.send(fileno(own) == fd ? "same number" : "another number");
    int own_fd = fileno(own);
    errno = 0;
    c.send(outcome(STUDENT(lab_pclose)(own)));
    bool open = fcntl(own_fd, F_GETFD) >= 0;  // else lab_pclose fclose()d it: not ours to free again
    c.send(open ? "still open" : "closed");
    if (open) fclose(own);
    return 0;
  });
  require_messages(r, 4);
  CHECK(r.messages[0] == "0");
  REQUIRE(r.messages[1] == "same number");
  if (r.messages[2] != "-1 EINVAL" || r.messages[3] != "still open")
    FAIL("lab_pclose of a stream that reuses a closed lab_popen stream's descriptor number returned "
         << r.messages[2] << " and left it " << r.messages[3]
         << ": lab_pclose must forget the pid of the stream it closes (set its slot back to 0), "
            "or the next stream with that number is taken for it (APUE 15.3)");
  SUCCEED();
}

TEST_CASE("several streams at once: each closes cleanly, no fd or zombie left", "[popen][cleanup][pts=2]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    FILE* a = STUDENT(lab_popen)("echo a", "r");
    FILE* b = STUDENT(lab_popen)("cat >/dev/null", "w");
    FILE* d = STUDENT(lab_popen)("echo d", "r");
    FILE* e = STUDENT(lab_popen)("exit 5", "w");
    if (!a || !b || !d || !e) return -1;
    c.send(slurp(a) + slurp(d));
    int st[] = {STUDENT(lab_pclose)(d), STUDENT(lab_pclose)(b), STUDENT(lab_pclose)(a), STUDENT(lab_pclose)(e)};
    for (int s : st) c.send(std::to_string(s < 0 ? -1 : WIFEXITED(s) ? WEXITSTATUS(s) : 1000));
    return 0;
  });
  require_messages(r, 5);
  CHECK(r.messages[0] == "a\nd\n");
  {
    INFO("lab_pclose must wait for the child of THAT stream: look its pid up by the stream's descriptor");
    CHECK(r.messages[1] == "0");
  }
  CHECK(r.messages[2] == "0");
  CHECK(r.messages[3] == "0");
  CHECK(r.messages[4] == "5");
  expect::clean(r);
}

namespace {

/// Inside a call: starts @p argv as a coprocess, or returns false.
bool start(sandbox::child& c, lab_coprocess& cp, std::vector<const char*> argv) {
  argv.push_back(nullptr);
  int rc = STUDENT(lab_coproc_start)(&cp, argv.data());
  if (rc != 0) c.send("start: " + outcome(rc));
  return rc == 0;
}

/// Inside a call: one request, its answer (or the error) as text.
std::string ask(lab_coprocess& cp, const std::string& request, size_t size = 256) {
  std::vector<char> answer(size);
  errno = 0;
  ssize_t n = STUDENT(lab_coproc_ask)(&cp, request.c_str(), answer.data(), answer.size());
  return n < 0 ? outcome(n) : std::string(answer.data());
}

}  // namespace

TEST_CASE("a coprocess answers many requests, each with its own answer", "[coprocess][pts=3]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    lab_coprocess cp{};
    if (!start(c, cp, {"sed", "-u", "s/.*/<&>/"})) return -1;
    int right = 0;
    for (int i = 0; i < 300; ++i) {
      std::string req = "request " + std::to_string(i);
      std::string got = ask(cp, req);
      if (got == "<" + req + ">") ++right;
      else if (right == i) c.send("request " + std::to_string(i) + " got: " + got);
    }
    c.send(std::to_string(right));
    return STUDENT(lab_coproc_stop)(&cp);
  });
  {
    INFO("sed -u answers every line at once; an answer that lags behind means you read past the "
         "newline or left part of a line unread");
    expect_exited(r, 0, "the filter ends with 0 once lab_coproc_stop closes its stdin");
  }
  REQUIRE_FALSE(r.messages.empty());
  CAPTURE(r.messages);
  CHECK(r.messages.back() == "300");
  expect::clean(r);
}

TEST_CASE("a filter that answers with two lines at once: each ask reads one line, none is lost", "[coprocess][pts=2]") {
  auto r = sandbox::call(
      [](sandbox::child& c) -> long {
        lab_coprocess cp{};
        // Two lines in one write for the first request, none for the second,
        // one for the third: a reader that reads a block and keeps only its
        // first line loses "one!" and then waits for an answer that never comes.
        if (!start(c, cp, {"sh", "-c", "read -r l; printf '%s\\n%s!\\n' \"$l\" \"$l\"; read -r l; "
                                       "read -r l; echo \"$l\"; cat >/dev/null"}))
          return -1;
        for (const char* req : {"one", "two", "three"}) c.send(ask(cp, req));
        return STUDENT(lab_coproc_stop)(&cp);
      },
      {.wall = 3s});
  if (r.messages.size() < 2 || r.messages[1] != "one!") {
    std::string got;
    for (const auto& m : r.messages) got += " \"" + m + "\"";
    FAIL("the filter wrote \"one\\none!\\n\" at once; the asks got" << got << " (expected \"one\" "
         "then \"one!\"): lab_coproc_ask read past the first newline and dropped the rest. Read a byte "
         "at a time up to the newline, so what follows stays in the pipe for the next ask. The call "
         << r.story());
  }
  expect_exited(r, 0, "the filter ends with 0 once lab_coproc_stop closes its stdin");
  require_messages(r, 3);
  CHECK(r.messages[0] == "one");
  CHECK(r.messages[2] == "three");
  expect::clean(r);
}

namespace {

/// How a call whose first lab_coproc_stop or lab_pclose hung went: the second
/// child holds the first one's pipe end.
void expect_no_inherited_end(const sandbox::result& r, const std::string& first, const std::string& second) {
  if (r.hung())
    FAIL(first << " never returned while " << second << " ran: the second child inherited the "
         "caller's end of the first one's pipe, so the first command never sees end-of-file. "
         "Mark the caller's ends close-on-exec (pipe2 with O_CLOEXEC, or fcntl FD_CLOEXEC) so no "
         "later command holds them (APUE 15.3, 15.4). When it was stopped:\n" << r.detail);
}

}  // namespace

TEST_CASE("two coprocesses at once: stopping the first does not wait for the second", "[coprocess][fds][pts=2]") {
  auto r = sandbox::call(
      [](sandbox::child& c) -> long {
        lab_coprocess first{}, second{};
        if (!start(c, first, {"cat"}) || !start(c, second, {"cat"})) return -1;
        c.send(ask(first, "to the first") + "|" + ask(second, "to the second"));
        c.send(std::to_string(STUDENT(lab_coproc_stop)(&first)));
        return STUDENT(lab_coproc_stop)(&second);
      },
      {.wall = 3s});
  expect_no_inherited_end(r, "lab_coproc_stop(first)", "a second coprocess");
  expect_exited(r, 0, "the second cat exits with 0");
  require_messages(r, 2);
  CHECK(r.messages[0] == "to the first|to the second");
  CHECK(r.messages[1] == "0");
  expect::clean(r);
}

TEST_CASE("a lab_popen stream and a coprocess at once: each closes while the other runs", "[coprocess][popen][fds][pts=2]") {
  auto r = sandbox::call(
      [](sandbox::child& c) -> long {
        FILE* count = STUDENT(lab_popen)("wc -l", "w");
        if (count == nullptr) return -1;
        lab_coprocess cp{};
        if (!start(c, cp, {"cat"})) return -1;
        fputs("a\nb\n", count);
        c.send(std::to_string(STUDENT(lab_pclose)(count)));  // wc must see end-of-file now
        c.send(ask(cp, "still here"));
        return STUDENT(lab_coproc_stop)(&cp);
      },
      {.wall = 3s});
  expect_no_inherited_end(r, "lab_pclose(the \"w\" stream)", "a coprocess started after it");
  expect_exited(r, 0, "cat exits with 0");
  require_messages(r, 2);
  CHECK(r.messages[0] == "0");
  CHECK(r.messages[1] == "still here");
  CHECK(r.out == "2\n");
  expect::clean(r);
}

TEST_CASE("a coprocess killed mid-way: ask fails with EPIPE, the caller survives", "[coprocess][sigpipe][pts=3]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    lab_coprocess cp{};
    if (!start(c, cp, {"sed", "-u", "s/^/echo: /"})) return -1;
    c.send(ask(cp, "before"));
    kill(cp.pid, SIGKILL);
    siginfo_t info{};
    waitid(P_PID, static_cast<id_t>(cp.pid), &info, WEXITED | WNOWAIT);  // dead, still to be reaped
    c.send(ask(cp, "after"));
    struct sigaction now {};
    sigaction(SIGPIPE, nullptr, &now);
    sigset_t mask, pending;
    sigprocmask(SIG_BLOCK, nullptr, &mask);
    sigpending(&pending);
    c.send(now.sa_handler == SIG_DFL && !sigismember(&mask, SIGPIPE) && !sigismember(&pending, SIGPIPE)
               ? "as before"
               : "changed");
    c.send(std::to_string(STUDENT(lab_coproc_stop)(&cp)));
    return 0;
  });
  INFO("writing to a pipe nobody reads raises SIGPIPE, which kills by default: block or ignore it "
       "around the write and report EPIPE (APUE 15.2, 15.4)");
  require_messages(r, 4);
  CHECK(r.messages[0] == "echo: before");
  {
    INFO("after the filter died, lab_coproc_ask must fail with EPIPE (if it hangs instead, the caller "
         "still holds the filter's ends of the pipes)");
    CHECK(r.messages[1] == "-1 EPIPE");
  }
  {
    INFO("restore the caller's SIGPIPE disposition and signal mask, and leave no SIGPIPE pending");
    CHECK(r.messages[2] == "as before");
  }
  expect_killed_by(r.messages[3], SIGKILL, "lab_coproc_stop must report the filter's death by SIGKILL");
  expect::clean(r);
}

TEST_CASE("a filter that quits after one answer: the next ask fails with EPIPE", "[coprocess][sigpipe][pts=2]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    lab_coprocess cp{};
    if (!start(c, cp, {"sed", "-u", "q"})) return -1;
    c.send(ask(cp, "only one"));
    siginfo_t info{};
    waitid(P_PID, static_cast<id_t>(cp.pid), &info, WEXITED | WNOWAIT);  // gone, still to be reaped
    c.send(ask(cp, "too late"));
    return STUDENT(lab_coproc_stop)(&cp);
  });
  expect_exited(r, 0, "sed q exits with 0");
  require_messages(r, 2);
  CHECK(r.messages[0] == "only one");
  {
    INFO("the filter has exited: the write meets a pipe nobody reads (SIGPIPE, then EPIPE), which must "
         "not kill the caller: block or ignore SIGPIPE around the write (APUE 15.2, 15.4)");
    CHECK(r.messages[1] == "-1 EPIPE");
  }
  expect::clean(r);
}

TEST_CASE("a filter that cannot be run: start succeeds, ask says EPIPE, stop says 127", "[coprocess][status][pts=2]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    lab_coprocess cp{};
    if (!start(c, cp, {"ipclab-no-such-filter"})) return -1;
    c.send(ask(cp, "anyone?"));
    return STUDENT(lab_coproc_stop)(&cp);
  });
  {
    INFO("when execvp() fails the child must _exit(127); the caller learns it from EPIPE and the status");
    expect_exited(r, 127, "the filter's child exits with 127");
  }
  require_messages(r, 1);
  CHECK(r.messages[0] == "-1 EPIPE");
  expect::clean(r);
}

TEST_CASE("the filter holds only its stdin, stdout and stderr", "[coprocess][fds][pts=2]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    lab_coprocess cp{};
    if (!start(c, cp, {"sh", "-c", "read -r _; echo $(ls /proc/self/fd)"})) return -1;
    c.send(ask(cp, "list"));
    return STUDENT(lab_coproc_stop)(&cp);
  });
  expect_exited(r, 0, "the shell exits with 0");
  require_messages(r, 1);
  // ls opens the directory it lists (fd 3); any other number leaked in.
  {
    INFO("a command run by the filter saw these descriptors: " << r.messages[0]
         << "\nafter dup2, close all four original pipe descriptors in the child");
    CHECK(r.messages[0] == "0 1 2 3");
  }
  expect::clean(r);
}

TEST_CASE("coprocess calls with bad arguments fail with EINVAL", "[coprocess][errors][pts=1]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    const char* none[] = {nullptr};
    const char* cat[] = {"cat", nullptr};
    lab_coprocess cp{};
    errno = 0;
    c.send(outcome(STUDENT(lab_coproc_start)(nullptr, cat)));
    errno = 0;
    c.send(outcome(STUDENT(lab_coproc_start)(&cp, nullptr)));
    errno = 0;
    c.send(outcome(STUDENT(lab_coproc_start)(&cp, none)));
    lab_coprocess idle{-1, -1, -1};
    c.send(ask(idle, "x"));
    errno = 0;
    c.send(outcome(STUDENT(lab_coproc_stop)(&idle)));
    if (STUDENT(lab_coproc_start)(&cp, cat) != 0) return -1;
    c.send(ask(cp, "two\nlines"));
    c.send(ask(cp, "x", 0));
    return STUDENT(lab_coproc_stop)(&cp);
  });
  expect_exited(r, 0, "cat exits with 0");
  const char* what[] = {"start(nullptr, argv)", "start(cp, nullptr)", "start(cp, {nullptr})",
                        "ask on a coprocess not running", "stop on a coprocess not running",
                        "ask with a newline in the request", "ask with size 0"};
  require_messages(r, 7);
  for (size_t i = 0; i < 7; ++i) {
    INFO(what[i] << ": expected -1 with EINVAL, got " << r.messages[i]);
    CHECK(r.messages[i] == "-1 EINVAL");
  }
  expect::clean(r);
}

TEST_CASE("an answer too long for the buffer is EMSGSIZE, and the next answer is in step", "[coprocess][errors][pts=1]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    lab_coprocess cp{};
    if (!start(c, cp, {"cat"})) return -1;
    c.send(ask(cp, "far too long for eight bytes", 8));
    c.send(ask(cp, "short", 8));
    return STUDENT(lab_coproc_stop)(&cp);
  });
  expect_exited(r, 0, "cat exits with 0");
  require_messages(r, 2);
  CHECK(r.messages[0] == "-1 EMSGSIZE");
  {
    INFO("after EMSGSIZE the rest of the long line must have been read and dropped");
    CHECK(r.messages[1] == "short");
  }
  expect::clean(r);
}
