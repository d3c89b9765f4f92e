// Chapter 03 — FIFOs: the graded tests. Each TEST_CASE carries its points.
// Every call runs with a private /tmp, so the FIFO paths below are its own.
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "fifos.hpp"
#include "ipclab/asleep.hpp"
#include "ipclab/die.hpp"
#include "ipclab/expect.hpp"
#include "ipclab/observe.hpp"
#include "ipclab/sandbox.hpp"

namespace sandbox = ipclab::sandbox;
namespace expect = ipclab::expect;
using namespace std::chrono_literals;

namespace {

constexpr const char* well_known = "/tmp/upper.fifo";

/// "-1 ENXIO" style summary of a call's outcome (reads errno).
std::string outcome(long rc) {
  return std::to_string(rc) + (rc < 0 ? std::string(" ") + ipclab::errno_name(errno) : std::string());
}

std::string upper(std::string s) {
  for (char& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return s;
}

std::string client_fifo(pid_t pid) { return std::string(well_known) + "." + std::to_string(pid); }

/// Inside a call: one ask, as text (the reply, or the error).
std::string ask(const std::string& text, size_t size = LAB_FIFO_TEXT) {
  std::vector<char> reply(size);
  errno = 0;
  ssize_t n = STUDENT(lab_fifo_ask)(well_known, text.c_str(), reply.data(), reply.size());
  return n < 0 ? outcome(n) : std::string(reply.data());
}

/// Inside a call: runs the student's server loop in a child; its exit status
/// is what the loop returned (255 for -1).
pid_t serve_in_child(lab_fifo_server& srv, long requests) {
  pid_t pid = fork();
  if (pid == 0) {
    long n = STUDENT(lab_fifo_server_run)(&srv, requests);
    _exit(n < 0 ? 255 : static_cast<int>(n));
  }
  return pid;
}

/// Inside a call: serve_in_child(), the child also holding a write end of
/// the well-known FIFO that the test opened, whatever the server opened
/// itself: its read() never meets end-of-file, which only the test about
/// it ("no spurious end-of-file") lets a server see.
pid_t serve_never_at_eof(lab_fifo_server& srv, long requests) {
  int keep = open(well_known, O_WRONLY | O_NONBLOCK);
  pid_t pid = serve_in_child(srv, requests);
  if (keep >= 0) close(keep);
  return pid;
}

/// Inside a call: waits for the server child; its story as text.
std::string server_ended(pid_t pid) {
  int st = 0;
  while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
  }
  if (WIFSIGNALED(st)) return std::string("server killed by ") + sigabbrev_np(WTERMSIG(st));
  return "server answered " + std::to_string(WEXITSTATUS(st));
}

/// Inside a call: whether @p path names an existing file.
bool exists(const std::string& path) {
  struct stat st {};
  return lstat(path.c_str(), &st) == 0;
}

/// Whether process @p pid holds @p path open for reading (as /proc shows it).
bool reads_from(pid_t pid, const std::string& path) {
  for (const auto& f : ipclab::observe::open_fds(pid))
    if (f.target == path && f.access != "write") return true;
  return false;
}

/// Inside a call: waits, without sleeping, until the client @p pid holds
/// its own FIFO open for reading (true) or has ended (false; not reaped).
bool reading_its_fifo(pid_t pid) {
  for (;;) {
    if (reads_from(pid, client_fifo(pid))) return true;
    siginfo_t info{};
    if (waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid)
      return false;
    sched_yield();
  }
}

/// Inside a call: waits, without sleeping, until the client @p pid sleeps in
/// write(), its request waiting for room in the full well-known FIFO ("").
/// Else what it was seen doing instead; it is then killed and reaped.
std::string waits_to_write(pid_t pid) {
  namespace asleep = ipclab::asleep;
  asleep::reached seen = asleep::until_in(pid, {SYS_write});
  if (seen == asleep::reached::call) return "";
  long nr = ipclab::observe::blocked_call(pid).first;
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  unlink(client_fifo(pid).c_str());
  if (seen == asleep::reached::ended) return "it ended without ever waiting to write its request";
  return "it sleeps in " + asleep::call_name(nr) + " and has not run for " + std::to_string(asleep::kParkedMs) +
         " ms, before ever waiting to write its request" +
         (nr == SYS_openat ? " (opening a FIFO waits until its other end is opened too, unless O_NONBLOCK)" : "");
}

/// Inside a call: forks a client that asks @p text and then ends, and
/// returns what waits_to_write() saw of it ("": it waits in write()).
/// @p client gets the client's pid (killed and reaped unless "").
std::string client_waiting_to_write(const char* text, pid_t& client) {
  client = fork();
  if (client == 0) {
    ask(text);
    _exit(0);
  }
  return waits_to_write(client);
}

/// Inside a call: stops the server child @p server wherever it is (it
/// goes on with SIGCONT); returns once it is stopped or has ended.
void hold(pid_t server) {
  kill(server, SIGSTOP);
  siginfo_t info{};
  while (waitid(P_PID, static_cast<id_t>(server), &info, WSTOPPED | WEXITED | WNOWAIT) < 0 && errno == EINTR) {
  }
}

/// What a client run by with_server_held() said, and whether it left its
/// own FIFO behind.
struct asked {
  std::string said;
  bool fifo_left;
};

/// Inside a call: runs @p client (which calls ask() and says what it got)
/// in a child process while the server child @p server is held stopped,
/// and lets the server go on only once the client holds its own FIFO open
/// for reading, or has ended. A server that answers at once then always
/// finds the client reading, whichever order the client did its steps in:
/// that order is the subject of its own test ("the client reads its own
/// FIFO before its request is sent"), not of the tests that use this.
template <class Client>
asked with_server_held(pid_t server, Client client) {
  hold(server);
  int said[2];
  if (pipe(said) < 0) return {"test setup: pipe() failed", false};
  pid_t pid = fork();
  if (pid == 0) {
    close(said[0]);
    std::string text = client();
    _exit(write(said[1], text.data(), text.size()) == static_cast<ssize_t>(text.size()) ? 0 : 1);
  }
  close(said[1]);
  if (pid > 0) reading_its_fifo(pid);
  kill(server, SIGCONT);
  asked out{"", false};
  char buf[256];
  for (ssize_t n; (n = read(said[0], buf, sizeof buf)) > 0;) out.said.append(buf, static_cast<size_t>(n));
  close(said[0]);
  if (pid > 0) waitpid(pid, nullptr, 0);
  out.fifo_left = pid > 0 && exists(client_fifo(pid));
  return out;
}

/// Each message the call sent equals the matching expectation; @p what
/// names each case. A call that ended early shows what it managed to send.
void expect_each(const sandbox::result& r, const std::vector<std::string>& want,
                 const std::vector<std::string>& what) {
  expect::returned(r);
  for (size_t i = 0; i < want.size(); ++i) {
    std::string got = i < r.messages.size() ? r.messages[i] : "nothing: the call " + r.story();
    INFO(what[i] << ": expected " << want[i] << ", got " << got);
    CHECK(got == want[i]);
  }
  CHECK(r.messages.size() == want.size());
}

}  // namespace

TEST_CASE("lab_fifo_open_writer: ENXIO with no reader, a blocking write end with one", "[open-writer][pts=2]") {
  auto r = sandbox::call(
      [](sandbox::child& c) -> long {
        if (mkfifo("/tmp/w.fifo", 0600) < 0) return -2;
        errno = 0;
        c.send(outcome(STUDENT(lab_fifo_open_writer)("/tmp/w.fifo")));
        int reader = open("/tmp/w.fifo", O_RDONLY | O_NONBLOCK);
        int fd = STUDENT(lab_fifo_open_writer)("/tmp/w.fifo");
        int flags = fd < 0 ? -1 : fcntl(fd, F_GETFL);
        c.send(fd < 0 ? outcome(fd)
               : (flags & O_ACCMODE) != O_WRONLY ? "not write-only"
               : (flags & O_NONBLOCK) != 0 ? "still O_NONBLOCK"
                                             : "a blocking write end");
        if (fd >= 0) close(fd);
        close(reader);
        unlink("/tmp/w.fifo");
        return 0;
      },
      {.wall = 3s});
  {
    INFO("a blocking open for writing waits until some process opens the FIFO for reading; "
         "O_NONBLOCK makes it fail at once with ENXIO instead (APUE 15.5)");
    expect_each(r, {"-1 ENXIO", "a blocking write end"},
                {"no process reads the FIFO", "a reader is there: after the open, clear O_NONBLOCK with fcntl"});
  }
  expect::clean(r);
}

TEST_CASE("lab_fifo_open_writer: bad paths give the exact errno and leave nothing open", "[open-writer][errors][pts=2]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    int file = open("/tmp/plain", O_WRONLY | O_CREAT, 0600);
    if (file < 0) return -2;
    close(file);
    for (const char* path : {"/tmp/no-such.fifo", "/tmp/plain/x.fifo", "/tmp", "/tmp/plain"}) {
      errno = 0;
      c.send(outcome(STUDENT(lab_fifo_open_writer)(path)));
    }
    errno = 0;
    c.send(outcome(STUDENT(lab_fifo_open_writer)(nullptr)));
    unlink("/tmp/plain");
    return 0;
  });
  expect_each(r, {"-1 ENOENT", "-1 ENOTDIR", "-1 EISDIR", "-1 EINVAL", "-1 EINVAL"},
              {"a path that does not exist", "a path through a regular file", "a directory",
               "a regular file (check S_ISFIFO after the open, and close it)", "a null path"});
  expect::clean(r);
}

TEST_CASE("lab_fifo_server_open makes the FIFO without blocking and holds both ends", "[server][pts=3]") {
  auto r = sandbox::call(
      [](sandbox::child& c) -> long {
        lab_fifo_server srv{};
        if (STUDENT(lab_fifo_server_open)(&srv, well_known) < 0) return -1;
        struct stat st {};
        c.send(stat(well_known, &st) == 0 && S_ISFIFO(st.st_mode) ? "a FIFO" : "no FIFO");
        char mode[16];
        snprintf(mode, sizeof mode, "mode %04o", static_cast<unsigned>(st.st_mode & 07777));
        c.send(mode);
        int rflags = fcntl(srv.read_fd, F_GETFL), wflags = fcntl(srv.write_fd, F_GETFL);
        int raccess = rflags & O_ACCMODE;  // O_RDWR reads too: Linux allows it on a FIFO (fifo(7))
        c.send(rflags < 0 || (raccess != O_RDONLY && raccess != O_RDWR) ? "read_fd is not open for reading"
               : (rflags & O_NONBLOCK) != 0 ? "read_fd is left in non-blocking mode (O_NONBLOCK still set)"
                                            : "blocking read end");
        struct stat rst {}, wst {};
        bool same = fstat(srv.read_fd, &rst) == 0 && fstat(srv.write_fd, &wst) == 0 &&
                    rst.st_dev == wst.st_dev && rst.st_ino == wst.st_ino;
        c.send(wflags < 0 || (wflags & O_ACCMODE) != O_WRONLY ? "no write end of its own"
               : !same ? "a write end of something else, not of the FIFO"
                       : "own write end");
        int closed = STUDENT(lab_fifo_server_close)(&srv);
        c.send(outcome(closed) + (exists(well_known) ? " but the FIFO is still there" : ""));
        c.send(srv.read_fd == -1 && srv.write_fd == -1 ? "marked closed" : "descriptors not set to -1");
        return 0;
      },
      {.wall = 3s});
  {
    INFO("open the read end with O_NONBLOCK (a blocking one waits for a writer), then your own write end, "
         "then clear O_NONBLOCK on the read end (APUE 15.5)");
    expect_each(r, {"a FIFO", "mode 0600", "blocking read end", "own write end", "0", "marked closed"},
                {"after lab_fifo_server_open", "the FIFO's mode", "srv.read_fd",
                 "srv.write_fd: the server's own write end, opened on the well-known FIFO itself, keeps "
                 "read() from returning end-of-file",
                 "lab_fifo_server_close must remove the FIFO", "after lab_fifo_server_close"});
  }
  expect::clean(r);
}

TEST_CASE("the server's calls reject bad paths and arguments with the exact errno", "[server][errors][pts=2]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    int file = open("/tmp/plain", O_WRONLY | O_CREAT, 0600);
    if (file < 0) return -2;
    close(file);
    std::string long_path = "/tmp/" + std::string(LAB_FIFO_PATH_MAX, 'x');
    lab_fifo_server srv{-1, -1, {}};
    for (const char* path : {"/tmp/plain", "/tmp/no-dir/s.fifo", "/tmp/plain/s.fifo", long_path.c_str()}) {
      errno = 0;
      c.send(outcome(STUDENT(lab_fifo_server_open)(&srv, path)));
    }
    errno = 0;
    c.send(outcome(STUDENT(lab_fifo_server_open)(nullptr, well_known)));
    errno = 0;
    c.send(outcome(STUDENT(lab_fifo_server_run)(&srv, 1)));
    errno = 0;
    c.send(outcome(STUDENT(lab_fifo_server_close)(&srv)));
    unlink("/tmp/plain");
    return 0;
  });
  expect_each(r, {"-1 EEXIST", "-1 ENOENT", "-1 ENOTDIR", "-1 ENAMETOOLONG", "-1 EINVAL", "-1 EINVAL", "-1 EINVAL"},
              {"a path that is already taken", "a directory that does not exist", "a path through a regular file",
               "a path of LAB_FIFO_PATH_MAX bytes or more", "a null server", "run on a server never opened",
               "close on a server never opened"});
  expect::clean(r);
}

TEST_CASE("one client and the server: the reply is the request in upper case", "[client][pts=3]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    lab_fifo_server srv{};
    if (STUDENT(lab_fifo_server_open)(&srv, well_known) < 0) return -1;
    pid_t server = serve_never_at_eof(srv, 2);
    asked first = with_server_held(server, [] { return ask("hello, fifo 42"); });
    asked second = with_server_held(server, [] { return ask("this reply is too long for four bytes", 4); });
    c.send(first.said);
    c.send(second.said);
    c.send(first.fifo_left || second.fifo_left ? "client FIFO left" : "client FIFO removed");
    c.send(server_ended(server));
    return STUDENT(lab_fifo_server_close)(&srv);
  });
  expect_each(r, {"HELLO, FIFO 42", "-1 EMSGSIZE", "client FIFO removed", "server answered 2"},
              {"the first request", "a reply longer than the client's buffer", "after the client's calls",
               "lab_fifo_server_run(srv, 2) returns the replies written"});
  expect::returned_value(r, 0, "lab_fifo_server_close");
  expect::clean(r);
}

TEST_CASE("many concurrent clients each get exactly their own answer", "[client][server][pts=3]") {
  constexpr int clients = 8, rounds = 25;
  sandbox::output_pipe wrong;
  auto r = sandbox::call(
      [&](sandbox::child&) -> long {
        lab_fifo_server srv{};
        if (STUDENT(lab_fifo_server_open)(&srv, well_known) < 0) return -1;
        pid_t server = serve_never_at_eof(srv, clients * rounds);
        // Each round the eight clients ask at once (a byte on their own `go`
        // pipe) while the server is held; it goes on once each of them reads
        // its own FIFO, has finished the round (its number on `done`) or has
        // ended, as in with_server_held. The test sleeps in poll() on `done`
        // and on a pidfd of each process, which wakes it when one ends.
        int go[clients][2], done[2];
        if (pipe2(done, O_NONBLOCK) < 0) return -2;
        for (auto& g : go)
          if (pipe(g) < 0) return -2;
        std::vector<pid_t> pids;
        std::vector<pollfd> waits{{done[0], POLLIN, 0}};
        for (int k = 0; k < clients; ++k) {
          pid_t pid = fork();
          if (pid == 0) {
            for (auto& g : go) close(g[1]);
            char ch = 0;
            for (int i = 0; i < rounds && read(go[k][0], &ch, 1) == 1; ++i) {
              std::string text = "client " + std::to_string(getpid()) + " request " + std::to_string(i);
              std::string got = ask(text);
              if (got != upper(text)) {
                std::string line = "sent \"" + text + "\", got \"" + got + "\"\n";
                [[maybe_unused]] auto n = write(wrong.fd(), line.data(), line.size());
              }
              ch = static_cast<char>(k);
              if (write(done[1], &ch, 1) != 1) break;
            }
            _exit(0);
          }
          pids.push_back(pid);
          waits.push_back({static_cast<int>(syscall(SYS_pidfd_open, pid, 0)), POLLIN, 0});
        }
        waits.push_back({static_cast<int>(syscall(SYS_pidfd_open, server, 0)), POLLIN, 0});
        close(done[1]);
        for (auto& g : go) close(g[0]);
        auto ended = [&](int k) {  // client k, or the server for k == clients
          pid_t pid = k < clients ? pids[static_cast<std::size_t>(k)] : server;
          siginfo_t info{};
          return waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid;
        };
        int round = 0;
        bool all_done = true;
        for (; round < rounds && all_done; ++round) {
          hold(server);
          std::vector<bool> finished(clients, false);
          auto take_done = [&] {
            for (char k; read(done[0], &k, 1) == 1;)
              if (k >= 0 && k < clients) finished[static_cast<std::size_t>(k)] = true;
          };
          for (auto& g : go) [[maybe_unused]] auto n = write(g[1], "g", 1);
          for (int k = 0; k < clients; ++k) {
            pid_t pid = pids[static_cast<std::size_t>(k)];
            for (take_done(); !finished[static_cast<std::size_t>(k)] && !ended(k) && !reads_from(pid, client_fifo(pid));
                 take_done())
              sched_yield();
          }
          kill(server, SIGCONT);
          // Before the last round a server that ended leaves its clients
          // waiting in vain; in the last one it ends once it has answered.
          bool last = round == rounds - 1;
          auto server_gone = [&] { return !last && ended(clients); };
          for (int k = 0; k < clients && !server_gone(); ++k)
            while (!finished[static_cast<std::size_t>(k)] && !ended(k) && !server_gone()) {
              poll(waits.data(), waits.size() - (last ? 1 : 0), -1);
              take_done();
            }
          take_done();  // a client writes its number before it ends
          all_done = std::find(finished.begin(), finished.end(), false) == finished.end();
        }
        bool server_gone = ended(clients);
        if (!all_done) {  // a client or the server ended: the others wait in vain
          for (pid_t pid : pids) kill(pid, SIGKILL);
          for (pid_t pid : pids) unlink(client_fifo(pid).c_str());
        }
        for (auto& g : go) close(g[1]);
        for (std::size_t k = 0; k < pids.size(); ++k) waitpid(pids[k], nullptr, 0);
        for (std::size_t k = 1; k < waits.size(); ++k)
          if (waits[k].fd >= 0) close(waits[k].fd);
        close(done[0]);
        int st = 0;
        while (waitpid(server, &st, 0) < 0 && errno == EINTR) {
        }
        if (!all_done) {
          std::string line = "in round " + std::to_string(round) + " of " + std::to_string(rounds) +
                             ", while clients still waited for their replies, " +
                             (server_gone ? "the server process " + expect::wait_status(st) : "a client ended") +
                             "\n";
          [[maybe_unused]] auto n = write(wrong.fd(), line.data(), line.size());
        }
        if (STUDENT(lab_fifo_server_close)(&srv) < 0) return -1;
        return WIFEXITED(st) && WEXITSTATUS(st) != 255 ? WEXITSTATUS(st) : -1;
      },
      {.wall = 10s}, {wrong});
  {
    INFO("each client reads its own FIFO, named by its pid; a wrong answer means a request was mixed up or "
         "a reply went to another client's FIFO\n" << wrong.data());
    expect::returned_value(r, clients * rounds, "lab_fifo_server_run returns the replies written");
    CHECK(wrong.data().empty());
  }
  expect::clean(r);
}

TEST_CASE("the client writes each request whole, in one write", "[client][atomic][pts=3]") {
  auto r = sandbox::call(
      [](sandbox::child& c) -> long {
        // The test is the server. Its FIFO holds one page and has room for
        // one byte less than a request: a whole request waits for room
        // without a byte of it written, while the first piece of a request
        // written in pieces fits and goes in alone.
        if (mkfifo(well_known, 0600) < 0) return -2;
        int rfd = open(well_known, O_RDONLY | O_NONBLOCK);
        int keep = open(well_known, O_WRONLY);
        if (rfd < 0 || keep < 0 || fcntl(keep, F_SETPIPE_SZ, 4096) != 4096) return -2;
        constexpr int junk = 4096 - static_cast<int>(sizeof(lab_fifo_request)) + 1;
        std::string fill(junk, 'j');
        if (write(keep, fill.data(), fill.size()) != junk) return -2;
        pid_t client = 0;
        std::string verdict = client_waiting_to_write("whole or in pieces", client);
        if (verdict.empty()) {
          int queued = 0;
          ioctl(rfd, FIONREAD, &queued);
          verdict = queued == junk ? "whole"
                                   : std::to_string(queued - junk) + " bytes of the request went in alone";
          kill(client, SIGKILL);  // the verdict is in: no need to serve it
          waitpid(client, nullptr, 0);
          unlink(client_fifo(client).c_str());
        }
        c.send(verdict);
        close(keep);
        close(rfd);
        unlink(well_known);
        return 0;
      },
      {.wall = 5s});
  expect::returned(r);
  REQUIRE(r.messages.size() == 1);
  if (r.messages[0].rfind("it ", 0) == 0)
    FAIL("lab_fifo_ask never waited for room in the full well-known FIFO: "
         << r.messages[0] << "; a client opens the well-known FIFO for writing and writes its request there (APUE 15.5)");
  if (r.messages[0] != "whole")
    FAIL("lab_fifo_ask waited for room in the well-known FIFO and meanwhile "
         << r.messages[0] << ": write the whole struct lab_fifo_request with ONE write(); a write of "
            "at most PIPE_BUF bytes goes in whole or waits, never interleaved with other clients' "
            "records, while pieces written apart can be (APUE 15.5, 15.2)");
  SUCCEED();
}

TEST_CASE("the server reads on between clients: no spurious end-of-file", "[server][eof][pts=2]") {
  auto r = sandbox::call(
      [](sandbox::child& c) -> long {
        lab_fifo_server srv{};
        if (STUDENT(lab_fifo_server_open)(&srv, well_known) < 0) return -1;
        pid_t server = serve_in_child(srv, 3);
        bool writes = false;
        for (const auto& f : ipclab::observe::open_fds(server))
          writes = writes || (f.target == well_known && f.access != "read");
        c.send(writes ? "holds a write end" : "holds no write end");
        // One client after the other: between them no client has the FIFO open.
        for (const char* text : {"first", "second", "third"})
          c.send(with_server_held(server, [text] { return ask(text); }).said);
        c.send(server_ended(server));
        return STUDENT(lab_fifo_server_close)(&srv);
      },
      {.wall = 5s});
  if (!r.messages.empty() && r.messages[0] == "holds no write end")
    FAIL("the server process holds no write end of the well-known FIFO, so its read() returns 0 "
         "(end-of-file) as soon as no client has the FIFO open; open a write end of your own in "
         "lab_fifo_server_open and keep it (APUE 15.5). Then: " << r.story());
  {
    INFO("when the last writer closes a FIFO, read() returns 0; a server that holds its own write end never "
         "sees that and simply waits for the next client (APUE 15.5)");
    expect_each(r, {"holds a write end", "FIRST", "SECOND", "THIRD", "server answered 3"},
                {"the server process, as /proc shows its descriptors", "client 1", "client 2, after client 1 closed", "client 3", "the server loop"});
  }
  expect::clean(r);
}

TEST_CASE("the server skips clients that vanished before their reply", "[server][vanish][pts=3]") {
  auto r = sandbox::call(
      [](sandbox::child& c) -> long {
        lab_fifo_server srv{};
        if (STUDENT(lab_fifo_server_open)(&srv, well_known) < 0) return -1;
        pid_t server = serve_never_at_eof(srv, 3);
        int w = open(well_known, O_WRONLY);
        // Client 900001 left its FIFO behind, unread; client 900002 removed it.
        mkfifo(client_fifo(900001).c_str(), 0600);
        for (pid_t ghost : {900001, 900002}) {
          lab_fifo_request req{};
          req.pid = ghost;
          strcpy(req.text, "anyone?");
          [[maybe_unused]] auto n = write(w, &req, sizeof req);
        }
        close(w);
        c.send(with_server_held(server, [] { return ask("still served"); }).said);
        c.send(server_ended(server));
        unlink(client_fifo(900001).c_str());
        return STUDENT(lab_fifo_server_close)(&srv);
      },
      {.wall = 4s});
  {
    INFO("open the client's FIFO with O_WRONLY | O_NONBLOCK: ENXIO (nobody reads) or ENOENT (no FIFO) means "
         "the client is gone, so skip it; a blocking open would wait for it forever (APUE 15.5)");
    expect_each(r, {"STILL SERVED", "server answered 1"},
                {"a live client queued behind two vanished ones", "the server loop"});
  }
  expect::clean(r);
}

namespace {

/// Whether process @p pid has @p path open (as /proc shows it).
bool holds_open(pid_t pid, const std::string& path) {
  for (int fd = 0; fd < 64; ++fd) {
    char target[PATH_MAX] = {};
    std::string link = "/proc/" + std::to_string(pid) + "/fd/" + std::to_string(fd);
    if (readlink(link.c_str(), target, sizeof target - 1) > 0 && path == target) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("the server survives a client that closes its FIFO while being answered", "[server][sigpipe][pts=3]") {
  auto r = sandbox::call(
      [](sandbox::child& c) -> long {
        lab_fifo_server srv{};
        if (STUDENT(lab_fifo_server_open)(&srv, well_known) < 0) return -1;
        pid_t server = serve_never_at_eof(srv, 2);  // first: it must not inherit the clients' ends
        // The quitter: its FIFO is full, so the server cannot finish a reply.
        std::string quitter = client_fifo(900003), patient = client_fifo(900004);
        mkfifo(quitter.c_str(), 0600);
        int q_read = open(quitter.c_str(), O_RDONLY | O_NONBLOCK);
        int q_write = open(quitter.c_str(), O_WRONLY | O_NONBLOCK);
        char fill[4096] = {};
        while (write(q_write, fill, sizeof fill) > 0) {
        }
        mkfifo(patient.c_str(), 0600);
        int p_read = open(patient.c_str(), O_RDONLY | O_NONBLOCK);
        int w = open(well_known, O_WRONLY);
        for (pid_t pid : {900003, 900004}) {
          lab_fifo_request req{};
          req.pid = pid;
          strcpy(req.text, "hello");
          [[maybe_unused]] auto n = write(w, &req, sizeof req);
        }
        close(w);
        // The quitter leaves as soon as the server has its FIFO open, or once
        // the server has moved on to the patient client.
        pollfd p{p_read, POLLIN, 0};
        while (!holds_open(server, quitter) && poll(&p, 1, 0) == 0) sched_yield();
        close(q_read);
        close(q_write);
        c.send(server_ended(server));
        lab_fifo_reply rep{};
        c.send(read(p_read, &rep, sizeof rep) == static_cast<ssize_t>(sizeof rep) ? rep.text : "no reply");
        close(p_read);
        unlink(quitter.c_str());
        unlink(patient.c_str());
        return STUDENT(lab_fifo_server_close)(&srv);
      },
      {.wall = 5s});
  {
    INFO("a write to a FIFO whose reader has gone raises SIGPIPE, which kills the server by default: ignore it "
         "(and restore it afterwards) and treat EPIPE as \"client gone\" (APUE 15.5)");
    expect_each(r, {"server answered 1", "HELLO"}, {"the server loop", "the client after the quitter"});
  }
  expect::clean(r);
}

namespace {

/// Inside a call: fills the FIFO open for writing at @p fd until it takes no more.
void fill(int fd) {
  int flags = fcntl(fd, F_GETFL);
  fcntl(fd, F_SETFL, flags | O_NONBLOCK);
  char junk[4096] = {};
  while (write(fd, junk, sizeof junk) > 0) {
  }
  fcntl(fd, F_SETFL, flags);
}

}  // namespace

TEST_CASE("the client reads its own FIFO before its request is sent", "[client][order][pts=3]") {
  auto r = sandbox::call(
      [](sandbox::child& c) -> long {
        // The test is the server. The well-known FIFO is full, so the
        // client's write of its request waits; stopped right there, the
        // client must already hold its own FIFO open for reading.
        if (mkfifo(well_known, 0600) < 0) return -2;
        int rfd = open(well_known, O_RDONLY | O_NONBLOCK);
        int keep = open(well_known, O_WRONLY);
        fill(keep);
        pid_t client = 0;
        std::string verdict = client_waiting_to_write("in order", client);
        if (verdict.empty()) {
          kill(client, SIGSTOP);
          waitpid(client, nullptr, WUNTRACED);
          verdict = reads_from(client, client_fifo(client)) ? "reading"
                                                            : "not reading its own FIFO yet";
          kill(client, SIGKILL);  // the verdict is in: no need to serve it
          waitpid(client, nullptr, 0);
          unlink(client_fifo(client).c_str());
        }
        c.send(verdict);
        if (keep >= 0) close(keep);
        close(rfd);
        unlink(well_known);
        return 0;
      },
      {.wall = 5s});
  expect::returned(r);
  REQUIRE(r.messages.size() == 1);
  if (r.messages[0].rfind("it ", 0) == 0)
    FAIL("lab_fifo_ask was to be stopped while it waited to write its request to the full well-known FIFO, but "
         << r.messages[0] << " (APUE 15.5)");
  if (r.messages[0] != "reading")
    FAIL("lab_fifo_ask was stopped while writing its request, and it was " << r.messages[0]
         << ": create and open your own FIFO for reading BEFORE you send the request; a server "
            "that answers at once opens it with O_NONBLOCK and finds nobody reading (ENXIO), so "
            "it skips you and you wait forever (APUE 15.5)");
  SUCCEED();
}

namespace {
void no_handler(int) {}
}  // namespace

TEST_CASE("the server loop and the client leave the caller's SIGPIPE handler in place", "[server][client][sigpipe][pts=2]") {
  auto r = sandbox::call(
      [](sandbox::child& c) -> long {
        struct sigaction mine {};
        mine.sa_handler = no_handler;
        sigemptyset(&mine.sa_mask);
        sigaction(SIGPIPE, &mine, nullptr);
        auto still_mine = [] {
          struct sigaction now {};
          sigaction(SIGPIPE, nullptr, &now);
          return now.sa_handler == no_handler ? "kept" : now.sa_handler == SIG_IGN ? "left ignored" : "changed";
        };
        lab_fifo_server srv{};
        if (STUDENT(lab_fifo_server_open)(&srv, well_known) < 0) return -1;
        pid_t client = fork();
        if (client == 0) _exit(ask("one").empty() ? 1 : 0);
        reading_its_fifo(client);  // the server starts once the client reads its own FIFO (or has ended)
        long answered = STUDENT(lab_fifo_server_run)(&srv, 1);
        c.send(std::string("lab_fifo_server_run: ") + still_mine());
        waitpid(client, nullptr, 0);
        pid_t server = serve_never_at_eof(srv, 1);
        c.send(with_server_held(server, [&] {
                 ask("two");
                 return std::string("lab_fifo_ask: ") + still_mine();
               }).said);
        server_ended(server);
        STUDENT(lab_fifo_server_close)(&srv);
        return answered;
      },
      {.wall = 4s});
  {
    INFO("save the caller's SIGPIPE action before you ignore it (sigaction's third argument) and put it "
         "back on every return (APUE 10.14, 15.5)");
    expect_each(r, {"lab_fifo_server_run: kept", "lab_fifo_ask: kept"},
                {"the caller's SIGPIPE handler after lab_fifo_server_run", "and after lab_fifo_ask"});
  }
  expect::clean(r);
}

TEST_CASE("the client reports a missing or absent server with the exact errno", "[client][errors][pts=3]") {
  auto r = sandbox::call(
      [](sandbox::child& c) -> long {
        auto report = [&](const std::string& outcome_text) {
          c.send(outcome_text + (exists(client_fifo(getpid())) ? " (its own FIFO was left behind)" : ""));
        };
        report(ask("nobody there"));  // no FIFO at all
        mkfifo(well_known, 0600);
        report(ask("nobody reads"));  // a FIFO, no server
        unlink(well_known);
        int file = open(well_known, O_WRONLY | O_CREAT, 0600);
        close(file);
        report(ask("a plain file"));
        unlink(well_known);
        report(ask(std::string(LAB_FIFO_TEXT, 'x')));
        mkdir(well_known, 0700);
        report(ask("a directory"));
        rmdir(well_known);
        char buf[8];
        errno = 0;
        report(outcome(STUDENT(lab_fifo_ask)(nullptr, "x", buf, sizeof buf)));
        errno = 0;
        std::string long_path = "/tmp/" + std::string(LAB_FIFO_PATH_MAX, 'y');
        report(outcome(STUDENT(lab_fifo_ask)(long_path.c_str(), "x", buf, sizeof buf)));
        return 0;
      },
      {.wall = 3s});
  {
    INFO("remove your own FIFO on every path out of lab_fifo_ask, failures included");
    expect_each(r, {"-1 ENOENT", "-1 ENXIO", "-1 EINVAL", "-1 EMSGSIZE", "-1 EISDIR", "-1 EINVAL", "-1 ENAMETOOLONG"},
                {"no FIFO at the server's path", "a FIFO nobody reads: open the server's FIFO with O_NONBLOCK",
                 "a regular file at the server's path", "a text of LAB_FIFO_TEXT bytes",
                 "a directory at the server's path (open() for writing says EISDIR)", "a null server path",
                 "a server path of LAB_FIFO_PATH_MAX bytes or more"});
  }
  expect::clean(r);
}

TEST_CASE("a client whose FIFO name is taken fails with EEXIST and leaves what is there", "[client][errors][pts=1]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    lab_fifo_server srv{};
    if (STUDENT(lab_fifo_server_open)(&srv, well_known) < 0) return -1;
    std::string taken = client_fifo(getpid());
    int file = open(taken.c_str(), O_WRONLY | O_CREAT, 0600);
    if (file < 0) return -2;
    close(file);
    c.send(ask("name taken"));
    c.send(exists(taken) ? "left in place" : "removed");
    unlink(taken.c_str());
    return STUDENT(lab_fifo_server_close)(&srv);
  });
  expect_each(r, {"-1 EEXIST", "left in place"},
              {"lab_fifo_ask when <server path>.<pid> already exists",
               "what was at that path is not the client's: remove only the FIFO you created"});
  expect::clean(r);
}
