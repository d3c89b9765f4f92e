// Chapter 02 — popen: the graded tests. Each TEST_CASE carries its points.
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
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
  INFO("the commands write to the caller's stdout; it showed: " << r.out);
  CHECK(r.out.find("SHOUT THIS\n") != std::string::npos);
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
  INFO("a stream fopen() opened has no child: look it up in your pid table and say EINVAL (APUE 15.3)");
  CHECK(r.messages[0] == "-1 EINVAL");
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
  INFO("closing the first stream must end `wc -l` even though `cat` (started later) still runs: "
       "the second child inherited the first stream's write end and must close it before exec "
       "(APUE 15.3: the child closes every descriptor in childpid[])");
  expect_exited(r, 0, "cat exits with 0");
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
  INFO("ls saw these descriptors in its own process: " << r.messages[0]
       << "close, in the child, both ends of the new pipe once dup2'ed, and every earlier stream's end");
  CHECK(r.messages[0] == "0 1 2 3\n");
  expect::clean(r);
}

TEST_CASE("lab_pclose retries waitpid when a signal interrupts it", "[pclose][eintr][pts=2]") {
  auto r = sandbox::call([](sandbox::child&) -> long {
    struct sigaction sa {};
    sa.sa_handler = [](int) {};  // no SA_RESTART: a blocked waitpid fails with EINTR
    sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR1, &sa, nullptr);
    // Once stdin ends, the command waits until the caller sleeps (in waitpid),
    // then interrupts it with SIGUSR1 and exits 7.
    FILE* fp = STUDENT(lab_popen)(
        "cat >/dev/null; while :; do read -r _ _ s _ </proc/$PPID/stat; [ \"$s\" = S ] && break; done; "
        "kill -USR1 $PPID; exit 7",
        "w");
    if (fp == nullptr) return -1;
    return STUDENT(lab_pclose)(fp);
  });
  if (r.returned() && r.value == -1 && r.error == EINTR)
    FAIL("lab_pclose returned -1 with EINTR: a signal interrupted waitpid(); retry it, the command "
         "is still to be collected (APUE 15.3, 10.5)");
  expect_exited(r, 7, "the command exits with 7");
  expect::clean(r);
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
  INFO("lab_pclose must wait for the child of THAT stream: look its pid up by the stream's descriptor");
  CHECK(r.messages[1] == "0");
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
  INFO("sed -u answers every line at once; an answer that lags behind means you read past the "
       "newline or left part of a line unread");
  expect_exited(r, 0, "the filter ends with 0 once lab_coproc_stop closes its stdin");
  REQUIRE_FALSE(r.messages.empty());
  CAPTURE(r.messages);
  CHECK(r.messages.back() == "300");
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
  INFO("after the filter died, lab_coproc_ask must fail with EPIPE (if it hangs instead, the caller "
       "still holds the filter's ends of the pipes)");
  CHECK(r.messages[1] == "-1 EPIPE");
  INFO("restore the caller's SIGPIPE disposition and signal mask, and leave no SIGPIPE pending");
  CHECK(r.messages[2] == "as before");
  expect_killed_by(r.messages[3], SIGKILL, "lab_coproc_stop must report the filter's death by SIGKILL");
  expect::clean(r);
}

TEST_CASE("a filter that quits after one answer: the next ask fails with EPIPE", "[coprocess][sigpipe][pts=2]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    lab_coprocess cp{};
    if (!start(c, cp, {"sed", "-u", "q"})) return -1;
    c.send(ask(cp, "only one"));
    c.send(ask(cp, "too late"));
    return STUDENT(lab_coproc_stop)(&cp);
  });
  expect_exited(r, 0, "sed q exits with 0");
  require_messages(r, 2);
  CHECK(r.messages[0] == "only one");
  INFO("whether the write fails (EPIPE) or the read meets end-of-file first, the filter is gone: EPIPE");
  CHECK(r.messages[1] == "-1 EPIPE");
  expect::clean(r);
}

TEST_CASE("a filter that cannot be run: start succeeds, ask says EPIPE, stop says 127", "[coprocess][status][pts=2]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    lab_coprocess cp{};
    if (!start(c, cp, {"ipclab-no-such-filter"})) return -1;
    c.send(ask(cp, "anyone?"));
    return STUDENT(lab_coproc_stop)(&cp);
  });
  INFO("when execvp() fails the child must _exit(127); the caller learns it from EPIPE and the status");
  expect_exited(r, 127, "the filter's child exits with 127");
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
  INFO("a command run by the filter saw these descriptors: " << r.messages[0]
       << "\nafter dup2, close all four original pipe descriptors in the child");
  CHECK(r.messages[0] == "0 1 2 3");
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
  INFO("after EMSGSIZE the rest of the long line must have been read and dropped");
  CHECK(r.messages[1] == "short");
  expect::clean(r);
}
