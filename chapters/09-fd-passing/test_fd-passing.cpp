// Chapter 09 — fd-passing: the graded tests. Each TEST_CASE carries its points.
//
// Each test exercises one student function against trusted code written
// here (raw sendmsg/recvmsg), so one mistake fails the tests of that
// function only. Files live in the call's private /tmp and are removed by
// the body before it returns.
#include <dirent.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "fd-passing.hpp"
#include "ipclab/asleep.hpp"
#include "ipclab/die.hpp"
#include "ipclab/expect.hpp"
#include "ipclab/observe.hpp"
#include "ipclab/sandbox.hpp"

// Linux 6.5 added these; Debian 12's headers predate them (values of asm-generic/socket.h, x86-64's too).
#ifndef SO_PASSPIDFD
#define SO_PASSPIDFD 76
#endif
#ifndef SCM_PIDFD
#define SCM_PIDFD 0x04
#endif

namespace sandbox = ipclab::sandbox;
namespace expect = ipclab::expect;
using namespace std::chrono_literals;

namespace {

/// A file with known content, removed when the object goes (inside the body).
struct temp_file {
  std::string path;
  temp_file(std::string p, const std::string& content) : path(std::move(p)) {
    int fd = open(path.c_str(), O_CREAT | O_TRUNC | O_WRONLY, 0600);
    if (fd < 0 || write(fd, content.data(), content.size()) != static_cast<ssize_t>(content.size()))
      throw std::runtime_error("cannot create " + path);
    close(fd);
  }
  ~temp_file() { unlink(path.c_str()); }
  temp_file(const temp_file&) = delete;
  temp_file& operator=(const temp_file&) = delete;
};

/// The first bytes of what @p fd refers to, read with pread (the offset stays).
std::string content_of(int fd) {
  char buf[256];
  ssize_t n = pread(fd, buf, sizeof buf, 0);
  return n < 0 ? "(pread failed: " + std::string(ipclab::errno_name(errno)) + ")"
               : std::string(buf, static_cast<std::size_t>(n));
}

/// Trusted sender: @p data and the descriptors @p fds in one sendmsg().
bool raw_send(int sock, const std::string& data, const std::vector<int>& fds = {}) {
  std::vector<char> control(fds.empty() ? 0 : CMSG_SPACE(fds.size() * sizeof(int)));
  iovec iov{const_cast<char*>(data.data()), data.size()};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  if (!fds.empty()) {
    msg.msg_control = control.data();
    msg.msg_controllen = control.size();
    cmsghdr* c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(fds.size() * sizeof(int));
    std::memcpy(CMSG_DATA(c), fds.data(), fds.size() * sizeof(int));
  }
  return sendmsg(sock, &msg, MSG_NOSIGNAL) == static_cast<ssize_t>(data.size());
}

/// Trusted receiver of one APUE reply (text, null byte, status byte), read a
/// byte at a time so nothing after the reply is consumed. Every descriptor
/// that arrives is appended to @p fds. False at end-of-file or on error.
bool raw_reply(int sock, std::string& text, int& status, std::vector<int>& fds) {
  text.clear();
  bool have_null = false;
  for (;;) {
    union {
      cmsghdr align;
      char buf[CMSG_SPACE(16 * sizeof(int))];
    } control;
    char byte;
    iovec iov{&byte, 1};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.buf;
    msg.msg_controllen = sizeof control.buf;
    if (recvmsg(sock, &msg, 0) != 1) return false;
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c))
      if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
        for (std::size_t i = 0; i < (c->cmsg_len - CMSG_LEN(0)) / sizeof(int); ++i) {
          int fd;
          std::memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof fd);
          fds.push_back(fd);
        }
    if (have_null) {
      status = byte & 0xff;
      return true;
    }
    if (byte == 0) have_null = true;
    else text += byte;
  }
}

/// Reads one reply and describes it: its text, status byte, how many
/// descriptors came and what a single one reads. Closes what came.
std::string describe_reply(int sock) {
  std::string text;
  int status = -1;
  std::vector<int> fds;
  if (!raw_reply(sock, text, status, fds)) return "no reply";
  std::string line = "text \"" + text + "\" status " + std::to_string(status) + ", " +
                     std::to_string(fds.size()) + " descriptor(s)";
  if (fds.size() == 1) line += " reading \"" + content_of(fds[0]) + "\"";
  for (int d : fds) close(d);
  return line;
}

/// True when nothing more is waiting on @p sock.
bool nothing_pending(int sock) {
  char byte;
  return recv(sock, &byte, 1, MSG_DONTWAIT) < 0 && errno == EAGAIN;
}

/// "rc errno-name", the way the tests report a call.
std::string outcome(long rc, int err) {
  return std::to_string(rc) + (rc < 0 ? std::string(" ") + ipclab::errno_name(err) : "");
}

/// Fills the descriptor table but for @p spare slots; returns what it opened.
std::vector<int> fill_table(int spare) {
  std::vector<int> filler;
  for (int fd; (fd = dup(0)) >= 0;) filler.push_back(fd);
  for (int i = 0; i < spare && !filler.empty(); ++i) {
    close(filler.back());
    filler.pop_back();
  }
  return filler;
}

/// The descriptors this process holds, as "fd->target" words.
std::vector<std::string> open_fd_list() {
  std::vector<std::string> out;
  DIR* d = opendir("/proc/self/fd");
  if (d == nullptr) return out;
  for (dirent* e; (e = readdir(d)) != nullptr;) {
    if (e->d_name[0] == '.' || std::atoi(e->d_name) == dirfd(d)) continue;
    char target[256] = {};
    std::string link = std::string("/proc/self/fd/") + e->d_name;
    ssize_t n = readlink(link.c_str(), target, sizeof target - 1);
    out.push_back(std::string(e->d_name) + "->" + (n > 0 ? target : "?"));
  }
  closedir(d);
  return out;
}

/// True when @p fd is a pidfd: its /proc/self/fdinfo entry has a "Pid:" line.
bool is_pidfd(int fd) {
  std::ifstream in("/proc/self/fdinfo/" + std::to_string(fd));
  for (std::string line; std::getline(in, line);)
    if (line.rfind("Pid:", 0) == 0) return true;
  return false;
}

/// Closes every pidfd this process holds (a SO_PASSPIDFD socket's recvmsg() installs them).
void close_pidfds() {
  std::vector<int> found;
  DIR* d = opendir("/proc/self/fd");
  if (d == nullptr) return;
  for (dirent* e; (e = readdir(d)) != nullptr;)
    if (e->d_name[0] != '.' && is_pidfd(std::atoi(e->d_name))) found.push_back(std::atoi(e->d_name));
  closedir(d);
  for (int fd : found) close(fd);
}

/// What a forked helper writes for the body to send on.
void report(int fd, const std::string& line) {
  std::string l = line + "\n";
  if (write(fd, l.data(), l.size()) < 0) _exit(3);
}

/// Reads a helper's report lines until end-of-file.
std::vector<std::string> read_report(int fd) {
  std::string all;
  char buf[4096];
  for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;) all.append(buf, static_cast<std::size_t>(n));
  std::vector<std::string> lines;
  for (std::size_t at = 0, nl; (nl = all.find('\n', at)) != std::string::npos; at = nl + 1)
    lines.push_back(all.substr(at, nl - at));
  return lines;
}

/// Inside a call: waits, without sleeping, until the receiver @p pid sleeps
/// in recvmsg(), recvfrom() or read() ("waits"), or has ended (it stays a
/// zombie for wait_child()). A receiver asleep in any other call, not run
/// for asleep::kParkedMs, is killed (reap it with wait_child()). Else what
/// it was seen doing.
std::string receiver_waits_again(pid_t pid) {
  namespace asleep = ipclab::asleep;
  switch (asleep::until_in(pid, {SYS_recvmsg, SYS_recvfrom, SYS_read})) {
    case asleep::reached::call:
      return "waits";
    case asleep::reached::ended:
      return "recv_fd returned before the status byte came";
    case asleep::reached::elsewhere:
      break;
  }
  std::string where = asleep::call_name(ipclab::observe::blocked_call(pid).first);
  kill(pid, SIGKILL);
  return "the receiver sleeps in " + where + ", not run for " + std::to_string(asleep::kParkedMs) +
         " ms, instead of reading the socket again";
}

int wait_child(pid_t pid) {
  int st = 0;
  while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
  }
  return st;
}

std::string request(const std::string& path, int oflag) {
  return "open " + path + " " + std::to_string(oflag) + std::string(1, '\0');
}

/// The userfunc given to recv_fd: collects the text, notes the fd it was given.
std::string collected;
bool userfunc_fd_ok = true;
ssize_t collect(int fd, const void* p, size_t n) {
  if (fd != STDERR_FILENO) userfunc_fd_ok = false;
  collected.append(static_cast<const char*>(p), n);
  return static_cast<ssize_t>(n);
}

/// Runs the student's open_server on one end of a socket pair in the call,
/// while a forked client (trusted code, @p client) talks on the other end
/// and reports lines. Sends "server <outcome>" and then the report lines.
sandbox::result serve(const std::function<void(int sock, int rep)>& client) {
  return sandbox::call([&](sandbox::child& c) -> long {
    temp_file a("/tmp/a.txt", "contents of a"), b("/tmp/b.txt", "contents of b"),
        d("/tmp/c.txt", "contents of c");
    int sv[2], rep[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0 || pipe(rep) < 0) return -2;
    pid_t pid = fork();
    if (pid == 0) {
      close(sv[0]);
      close(rep[0]);
      client(sv[1], rep[1]);
      _exit(0);
    }
    close(sv[1]);
    close(rep[1]);
    errno = 0;
    int rc = STUDENT(open_server)(sv[0]);
    int err = errno;
    close(sv[0]);  // a client still waiting for a reply sees end-of-file
    auto lines = read_report(rep[0]);
    close(rep[0]);
    wait_child(pid);
    c.send("server " + outcome(rc, err));
    for (const auto& l : lines) c.send(l);
    return 0;
  });
}

/// Trusted client step: sends @p req, reads one reply; "" when it is a
/// descriptor of a file whose content is @p want, else what went wrong.
std::string ask(int sock, const std::string& req, const std::string& want) {
  if (!raw_send(sock, req)) return "the request could not be sent";
  std::string text;
  int status = -1;
  std::vector<int> fds;
  if (!raw_reply(sock, text, status, fds)) return "no reply: the server closed the socket";
  std::string got = fds.size() == 1 ? content_of(fds[0]) : "";
  for (int fd : fds) close(fd);
  if (status != 0)
    return "an error reply, status " + std::string(ipclab::errno_name(status)) + ", text \"" + text + "\"";
  if (fds.size() != 1) return "status 0 with " + std::to_string(fds.size()) + " descriptors";
  if (!text.empty()) return "text before a success: \"" + text + "\"";
  if (got != want) return "a descriptor of the wrong file: it reads \"" + got + "\"";
  return "";
}

/// One check with its own explanation (INFO would stick to later checks).
void check_that(bool ok, const std::string& why) {
  INFO(why);
  CHECK(ok);
}

}  // namespace

TEST_CASE("fd_pipe makes two connected UNIX stream sockets that carry data both ways",
          "[fd_pipe][pts=2]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    int fd[2] = {-1, -1};
    int rc = STUDENT(fd_pipe)(fd);
    if (rc < 0) return rc;
    int type = 0, domain = 0;
    socklen_t len = sizeof type;
    getsockopt(fd[0], SOL_SOCKET, SO_TYPE, &type, &len);
    len = sizeof domain;
    getsockopt(fd[1], SOL_SOCKET, SO_DOMAIN, &domain, &len);
    c.send(type == SOCK_STREAM && domain == AF_UNIX ? "AF_UNIX stream" : "another kind of descriptor");
    char buf[8] = {};
    bool there = write(fd[0], "ping", 4) == 4 && read(fd[1], buf, sizeof buf) == 4;
    bool back = write(fd[1], "pong", 4) == 4 && read(fd[0], buf + 4, 4) == 4;
    c.send(there && back && std::string(buf, 8) == "pingpong" ? "both ways" : "not full duplex");
    close(fd[0]);
    close(fd[1]);
    return 0;
  });
  expect::returned_value(r, 0, "fd_pipe(fd)");
  if (r.messages.size() == 2) {
    check_that(r.messages[0] == "AF_UNIX stream", "fd_pipe is socketpair(AF_UNIX, SOCK_STREAM, 0, fd) (APUE 17.2)");
    check_that(r.messages[1] == "both ways", "data written on either end must be readable from the other");
  }
  expect::no_fds_left(r);
}

TEST_CASE("fd_pipe fails with EINVAL on a null array and EMFILE on a full table, leaving nothing",
          "[fd_pipe][errors][pts=1]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    errno = 0;
    int rc = STUDENT(fd_pipe)(nullptr);
    c.send(outcome(rc, errno));
    auto filler = fill_table(1);  // room for one descriptor; a pair needs two
    int fd[2] = {-1, -1};
    errno = 0;
    rc = STUDENT(fd_pipe)(fd);
    int err = errno;
    for (int f : filler) close(f);
    c.send(outcome(rc, err));
    return 0;
  });
  expect::messages(r, {"-1 EINVAL", "-1 EMFILE"},
                   {"fd_pipe(nullptr) must refuse the null array itself",
                    "with one free slot socketpair() fails: pass its errno on"});
  expect::clean(r);
}

TEST_CASE("the passed descriptor reads the same file and shares its offset and flags",
          "[write_fd][read_fd][pts=3]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    temp_file f("/tmp/shared.txt", "0123456789abcdef");
    int fd = open(f.path.c_str(), O_RDONLY);
    int sv[2], rep[2];
    if (fd < 0 || socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0 || pipe(rep) < 0) return -2;
    pid_t pid = fork();
    if (pid == 0) {  // the receiver
      close(sv[0]);
      close(rep[0]);
      struct stat mine, theirs;
      fstat(fd, &mine);
      close(fd);  // from here on, only the passed descriptor reaches the file
      char buf[16];
      int got = -1;
      errno = 0;
      int rc = STUDENT(read_fd)(sv[1], buf, sizeof buf, &got);
      report(rep[1], "read_fd " + outcome(rc, errno) + (got >= 0 ? " with a descriptor" : " without a descriptor"));
      if (got >= 0) {
        bool same = fstat(got, &theirs) == 0 && theirs.st_ino == mine.st_ino && theirs.st_dev == mine.st_dev;
        report(rep[1], same ? "same file" : "another file");
        char four[4];
        ssize_t n = read(got, four, sizeof four);
        report(rep[1], "receiver read " + std::string(four, n > 0 ? static_cast<std::size_t>(n) : 0));
        fcntl(got, F_SETFL, fcntl(got, F_GETFL) | O_NONBLOCK);
      }
      _exit(0);
    }
    close(sv[1]);
    close(rep[1]);
    errno = 0;
    int rc = STUDENT(write_fd)(sv[0], const_cast<char*>("F"), 1, fd);
    c.send("write_fd " + outcome(rc, errno));
    close(sv[0]);
    wait_child(pid);
    for (const auto& l : read_report(rep[0])) c.send(l);
    close(rep[0]);
    char four[4];
    ssize_t n = read(fd, four, sizeof four);
    c.send("sender read " + std::string(four, n > 0 ? static_cast<std::size_t>(n) : 0));
    c.send("offset " + std::to_string(lseek(fd, 0, SEEK_CUR)));
    c.send((fcntl(fd, F_GETFL) & O_NONBLOCK) != 0 ? "O_NONBLOCK shared" : "O_NONBLOCK not shared");
    close(fd);
    return 0;
  });
  expect::messages(
      r,
      {"write_fd 1", "read_fd 1 with a descriptor", "same file", "receiver read 0123", "sender read 4567",
       "offset 8", "O_NONBLOCK shared"},
      {"write_fd sends one byte with the descriptor as SCM_RIGHTS and returns the bytes sent (EBADF for a "
       "descriptor that is open: the header's cmsg_len must be CMSG_LEN(sizeof(int)), not CMSG_SPACE)",
       "read_fd returns the byte and stores the descriptor that came with it in *recvfd",
       "the received descriptor must refer to the sender's file (same device and inode)",
       "the receiver reads from offset 0 of the shared file",
       "the sender's next read continues where the receiver stopped: both descriptors share one "
       "open file description, hence one offset (APUE 17.4, figure 17.11)",
       "lseek() on the sender's descriptor sees the receiver's reads",
       "file status flags live in the open file description too: set by the receiver, seen by the sender"});
  expect::clean(r);
}

TEST_CASE("a descriptor in flight survives the sender closing it and exiting",
          "[write_fd][read_fd][pts=2]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0) return -2;
    pid_t pid = fork();
    if (pid == 0) {  // the sender: opens, unlinks, passes, closes, exits
      close(sv[1]);
      int fd = open("/tmp/gone.txt", O_CREAT | O_EXCL | O_RDWR, 0600);
      if (fd < 0 || write(fd, "still here", 10) != 10) _exit(2);
      unlink("/tmp/gone.txt");
      int rc = STUDENT(write_fd)(sv[0], const_cast<char*>("S"), 1, fd);
      close(fd);
      _exit(rc == 1 ? 0 : 1);
    }
    close(sv[0]);
    int st = wait_child(pid);  // the sender is gone before anything is read
    c.send(WIFEXITED(st) && WEXITSTATUS(st) == 0 ? "sender passed it and exited" : "sender failed");
    char buf[8];
    int got = -1;
    errno = 0;
    int rc = STUDENT(read_fd)(sv[1], buf, sizeof buf, &got);
    c.send("read_fd " + outcome(rc, errno));
    c.send(got >= 0 ? "it reads \"" + content_of(got) + "\"" : "no descriptor");
    if (got >= 0) close(got);
    close(sv[1]);
    return 0;
  });
  expect::messages(r, {"sender passed it and exited", "read_fd 1", "it reads \"still here\""},
                   {"write_fd returns the byte count; the sender then closes its copy and exits",
                    "the message waits in the socket after the sender is gone",
                    "the descriptor in flight holds a reference to the open file: it outlives the "
                    "sender's close(), its exit and even the file's name (APUE 17.4)"});
  expect::clean(r);
}

TEST_CASE("data without a descriptor: read_fd stores -1 in *recvfd, returns 0 at end-of-file, takes no pidfd",
          "[write_fd][read_fd][pts=2]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0) return -2;
    char buf[16];
    int got = 1234;
    int rc = STUDENT(write_fd)(sv[0], const_cast<char*>("plain"), 5, -1);
    c.send("write_fd " + outcome(rc, errno));
    rc = STUDENT(read_fd)(sv[1], buf, sizeof buf, &got);
    c.send("read_fd " + outcome(rc, errno) + " \"" + std::string(buf, rc > 0 ? static_cast<std::size_t>(rc) : 0) +
           "\" recvfd " + std::to_string(got));
    got = 1234;
    if (write(sv[0], "w", 1) != 1) return -2;
    rc = STUDENT(read_fd)(sv[1], buf, sizeof buf, &got);
    c.send("read_fd " + outcome(rc, errno) + " recvfd " + std::to_string(got));
    close(sv[0]);
    got = 1234;
    rc = STUDENT(read_fd)(sv[1], buf, sizeof buf, &got);
    c.send("read_fd " + outcome(rc, errno) + " recvfd " + std::to_string(got));
    close(sv[1]);
    return 0;
  });
  expect::messages(r,
                   {"write_fd 5", "read_fd 5 \"plain\" recvfd -1", "read_fd 1 recvfd -1", "read_fd 0 recvfd -1"},
                   {"with sendfd < 0, write_fd sends the data alone (no control data)",
                    "no SCM_RIGHTS item came: *recvfd must be -1, not left as it was",
                    "plain write() data: no descriptor, *recvfd -1",
                    "at end-of-file read_fd returns 0 and *recvfd is -1"});
  expect::clean(r);

  // A receiver with SO_PASSPIDFD (Linux 6.5) gets an SCM_PIDFD item with every
  // message: one int, a pidfd of the sender, the size of one descriptor.
  auto p = sandbox::call([](sandbox::child& c) -> long {
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0) return -2;
    int on = 1;
    if (setsockopt(sv[1], SOL_SOCKET, SO_PASSPIDFD, &on, sizeof on) < 0) {
      c.send(errno == ENOPROTOOPT ? "no SO_PASSPIDFD"
                                  : "setsockopt(SO_PASSPIDFD) " + outcome(-1, errno));
    } else {
      c.send(raw_send(sv[0], std::string("\0\2", 2)) ? "null byte and status sent" : "sendmsg failed");
      char buf[8];
      int got = 1234;
      errno = 0;
      int rc = STUDENT(read_fd)(sv[1], buf, sizeof buf, &got);
      c.send(got >= 0 && is_pidfd(got) ? "read_fd took an SCM_PIDFD control message for a passed descriptor: "
                                         "check cmsg_level == SOL_SOCKET and cmsg_type == SCM_RIGHTS"
                                       : outcome(rc, errno) + " recvfd " + std::to_string(got));
      if (got >= 0 && !is_pidfd(got)) close(got);
      close_pidfds();  // the test asked for them: they are its own to close
      int null = open("/dev/null", O_RDONLY);
      c.send(raw_send(sv[0], "D", {null}) ? "a descriptor sent" : "sendmsg failed");
      close(null);
      got = 1234;
      errno = 0;
      rc = STUDENT(read_fd)(sv[1], buf, sizeof buf, &got);
      c.send(outcome(rc, errno) + " recvfd " + (got >= 0 && is_pidfd(got) ? "a pidfd" : std::to_string(got)));
      if (got >= 0 && !is_pidfd(got)) close(got);
      close_pidfds();
    }
    close(sv[0]);
    close(sv[1]);
    return 0;
  });
  if (!p.messages.empty() && p.messages.front() == "no SO_PASSPIDFD") {
    WARN("this kernel has no SO_PASSPIDFD (Linux 6.5): read_fd's check of cmsg_level and cmsg_type "
         "against an SCM_PIDFD item could not be made");
    expect::returned(p);
  } else {
    expect::messages(p,
                     {"null byte and status sent", "-1 EMSGSIZE recvfd -1", "a descriptor sent",
                      "-1 EMSGSIZE recvfd -1"},
                     {"the test sets SO_PASSPIDFD on the receiving socket and sends a null byte and a "
                      "status byte without SCM_RIGHTS",
                      "the kernel adds an SCM_PIDFD item (one int, a pidfd of the sender): it is no "
                      "passed descriptor. read_fd must check cmsg_level == SOL_SOCKET and cmsg_type == "
                      "SCM_RIGHTS, fail with EMSGSIZE and store -1 (UNP 15.7)",
                      "then one byte with a descriptor as SCM_RIGHTS, on the same socket",
                      "the SCM_PIDFD item comes after the SCM_RIGHTS one and does not fit "
                      "CMSG_SPACE(sizeof(int)): recvmsg() sets MSG_CTRUNC. read_fd must check msg_flags, "
                      "close the descriptor that came, fail with EMSGSIZE and store -1"});
  }
  expect::clean(p);
}

TEST_CASE("several messages in a row: each descriptor arrives with its own message",
          "[write_fd][read_fd][pts=3]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    constexpr int count = 8;
    std::vector<std::unique_ptr<temp_file>> files;
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0) return -2;
    for (int i = 0; i < count; ++i) {  // all sent before anything is read
      std::string msg = "msg-" + std::to_string(i) + "...";  // 8 bytes each
      int fd = -1;
      if (i % 2 == 0) {
        files.push_back(std::make_unique<temp_file>("/tmp/m" + std::to_string(i), "file " + std::to_string(i)));
        fd = open(files.back()->path.c_str(), O_RDONLY);
      }
      int rc = STUDENT(write_fd)(sv[0], msg.data(), 8, fd);
      if (rc != 8) c.send("write_fd of message " + std::to_string(i) + ": " + outcome(rc, errno));
      if (fd >= 0) close(fd);
    }
    for (int i = 0; i < count; ++i) {
      char buf[8];
      int got = -1;
      int rc = STUDENT(read_fd)(sv[1], buf, sizeof buf, &got);
      std::string line = std::string(buf, rc > 0 ? static_cast<std::size_t>(rc) : 0) +
                         (got >= 0 ? " + \"" + content_of(got) + "\"" : " alone");
      c.send(rc == 8 ? line : "read_fd " + outcome(rc, errno));
      if (got >= 0) close(got);
    }
    close(sv[0]);
    close(sv[1]);
    return 0;
  });
  std::vector<std::string> want, why;
  for (int i = 0; i < 8; ++i) {
    want.push_back("msg-" + std::to_string(i) + "..." + (i % 2 == 0 ? " + \"file " + std::to_string(i) + "\"" : " alone"));
    why.push_back("message " + std::to_string(i) + (i % 2 == 0 ? " carried a descriptor" : " carried none") +
                  "; each read_fd must report only its own message's descriptor");
  }
  expect::messages(r, want, why);
  expect::clean(r);
}

TEST_CASE("two descriptors in one item fit the buffer's padding: read_fd still refuses them",
          "[read_fd][ctrunc][pts=2]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0) return -2;
    std::vector<int> two{open("/dev/null", O_RDONLY), open("/dev/zero", O_RDONLY)};
    bool sent = raw_send(sv[0], "D", two);
    for (int fd : two) close(fd);
    c.send(sent ? "two descriptors sent" : "sendmsg failed");
    char buf[8];
    int got = 1234;
    errno = 0;
    int rc = STUDENT(read_fd)(sv[1], buf, sizeof buf, &got);
    c.send(outcome(rc, errno) + " recvfd " + std::to_string(got));
    if (rc >= 0 && got >= 0) close(got);
    close(sv[0]);
    close(sv[1]);
    return 0;
  });
  expect::messages(r, {"two descriptors sent", "-1 EMSGSIZE recvfd -1"},
                   {"the test sends one byte with two descriptors in one SCM_RIGHTS item",
                    "CMSG_SPACE(sizeof(int)) is 24 bytes on x86-64, room for two ints: both descriptors "
                    "arrive and MSG_CTRUNC stays clear. Only the item's cmsg_len tells: CMSG_LEN(2 * "
                    "sizeof(int)), not CMSG_LEN(sizeof(int)). Check cmsg_len, close every descriptor "
                    "that came, fail with EMSGSIZE and store -1"});
  expect::clean(r);
}

TEST_CASE("more descriptors than the control buffer holds: EMSGSIZE and no stray descriptor",
          "[read_fd][ctrunc][pts=3]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0) return -2;
    std::vector<int> three;
    for (int i = 0; i < 3; ++i) three.push_back(open("/dev/null", O_RDONLY));
    bool sent = raw_send(sv[0], "T", three);
    for (int fd : three) close(fd);
    c.send(sent ? "three descriptors sent" : "sendmsg failed");
    char buf[8];
    int got = 1234;
    errno = 0;
    int rc = STUDENT(read_fd)(sv[1], buf, sizeof buf, &got);
    c.send(outcome(rc, errno) + " recvfd " + std::to_string(got));
    close(sv[0]);
    close(sv[1]);
    return 0;
  });
  expect::messages(r, {"three descriptors sent", "-1 EMSGSIZE recvfd -1"},
                   {"the test sends one byte with three descriptors in one SCM_RIGHTS item",
                    "a buffer of CMSG_SPACE(sizeof(int)) has room for two ints on Linux: recvmsg() installs "
                    "the ones that fit and sets MSG_CTRUNC. Check msg.msg_flags and cmsg_len, close what "
                    "came, fail with EMSGSIZE and store -1"});
  INFO("recvmsg() put the descriptors that fit into your table: read_fd must close them (APUE 17.4)");
  expect::clean(r);
}

TEST_CASE("no free descriptor slot: the control data is truncated and read_fd says EMSGSIZE",
          "[read_fd][ctrunc][pts=2]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0) return -2;
    int fd = open("/dev/null", O_RDONLY);
    bool sent = raw_send(sv[0], "E", {fd});
    close(fd);
    c.send(sent ? "one descriptor sent" : "sendmsg failed");
    auto filler = fill_table(0);
    char buf[8];
    int got = 1234;
    errno = 0;
    int rc = STUDENT(read_fd)(sv[1], buf, sizeof buf, &got);
    int err = errno;
    for (int f : filler) close(f);
    c.send(outcome(rc, err) + " recvfd " + std::to_string(got));
    close(sv[0]);
    close(sv[1]);
    return 0;
  });
  expect::messages(r, {"one descriptor sent", "-1 EMSGSIZE recvfd -1"},
                   {"the test passes one descriptor",
                    "with no free slot the kernel cannot install the descriptor: recvmsg() returns the "
                    "byte and sets MSG_CTRUNC. Without checking msg_flags the descriptor is silently lost"});
  expect::clean(r);
}

TEST_CASE("write_fd and read_fd check their arguments and report socket errors without SIGPIPE",
          "[write_fd][read_fd][errors][pts=2]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    int sv[2], p[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0 || pipe(p) < 0) return -2;
    int closed = dup(0);
    close(closed);
    char buf[8] = "x";
    int got = 1234;
    auto wr = [&](int fd, void* ptr, int n, int sendfd) {
      errno = 0;
      int rc = STUDENT(write_fd)(fd, ptr, n, sendfd);
      c.send(outcome(rc, errno));
    };
    auto rd = [&](int fd, void* ptr, int n, int* recvfd) {
      errno = 0;
      got = 1234;
      int rc = STUDENT(read_fd)(fd, ptr, n, recvfd);
      c.send(outcome(rc, errno) + (recvfd != nullptr ? " recvfd " + std::to_string(got) : ""));
    };
    wr(sv[0], nullptr, 1, -1);
    wr(sv[0], buf, 0, -1);
    rd(sv[1], buf, 0, &got);
    rd(sv[1], buf, 8, nullptr);
    wr(p[1], buf, 1, 0);
    wr(sv[0], buf, 1, closed);
    rd(p[0], buf, 8, &got);
    close(sv[1]);
    wr(sv[0], buf, 1, 0);  // the peer is gone
    close(sv[0]);
    close(p[0]);
    close(p[1]);
    return 0;
  });
  if (r.how == sandbox::ending::signaled && WTERMSIG(r.status) == SIGPIPE)
    FAIL("write_fd to a closed peer killed the process with SIGPIPE: pass MSG_NOSIGNAL to sendmsg() "
         "so the caller gets EPIPE instead");
  expect::messages(r,
                   {"-1 EINVAL", "-1 EINVAL", "-1 EINVAL recvfd -1", "-1 EINVAL", "-1 ENOTSOCK", "-1 EBADF",
                    "-1 ENOTSOCK recvfd -1", "-1 EPIPE"},
                   {"write_fd(fd, nullptr, 1, -1): no data to send", "write_fd with nbytes 0: at least one byte must travel",
                    "read_fd with nbytes 0, and *recvfd set to -1", "read_fd with recvfd == nullptr",
                    "write_fd on a pipe: only sockets carry descriptors", "write_fd passing a closed descriptor",
                    "read_fd on a pipe", "write_fd after the peer closed its end"});
  expect::clean(r);
}

TEST_CASE("send_fd sends a null byte and status 0 with the descriptor, or the status alone",
          "[send_fd][pts=2]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    temp_file f("/tmp/sent.txt", "sent by send_fd");
    int fd = open(f.path.c_str(), O_RDONLY);
    int sv[2];
    if (fd < 0 || socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0) return -2;
    auto check = [&](int arg) {
      errno = 0;
      int rc = STUDENT(send_fd)(sv[0], arg);
      std::string line = "send_fd " + outcome(rc, errno);
      if (rc == 0) line += ": " + describe_reply(sv[1]);
      c.send(line + (nothing_pending(sv[1]) ? "" : ", then more bytes"));
    };
    check(fd);
    check(-EACCES);
    check(-300);
    close(fd);
    close(sv[0]);
    close(sv[1]);
    return 0;
  });
  expect::messages(r,
                   {"send_fd 0: text \"\" status 0, 1 descriptor(s) reading \"sent by send_fd\"",
                    "send_fd 0: text \"\" status 13, 0 descriptor(s)", "send_fd -1 EINVAL"},
                   {"send_fd(fd, fd_to_send) sends exactly two bytes, 0 and 0, with one descriptor (APUE figure 17.13). "
                    "More than one descriptor, or EBADF, means the header's cmsg_len counts more than one int: "
                    "it is CMSG_LEN(sizeof(int)), not CMSG_SPACE(sizeof(int)), whose padding the kernel reads as "
                    "further descriptors",
                    "send_fd(fd, -EACCES) sends 0 and 13 and no descriptor",
                    "-300 does not fit in the status byte: EINVAL and nothing sent"});
  expect::clean(r);
}

TEST_CASE("send_err sends its text, then the null byte and the status byte", "[send_err][pts=2]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0) return -2;
    auto check = [&](int status_arg, const char* msg) {
      errno = 0;
      int rc = STUDENT(send_err)(sv[0], status_arg, msg);
      std::string line = "send_err " + outcome(rc, errno);
      if (rc == 0) line += ": " + describe_reply(sv[1]);
      c.send(line + (nothing_pending(sv[1]) ? "" : ", then more bytes"));
    };
    check(-ENOENT, "can't open /nowhere: No such file or directory");
    check(-EPERM, nullptr);
    check(0, "zero is not an error status");
    check(-256, "does not fit");
    close(sv[0]);
    close(sv[1]);
    return 0;
  });
  expect::messages(r,
                   {"send_err 0: text \"can't open /nowhere: No such file or directory\" status 2, 0 descriptor(s)",
                    "send_err 0: text \"\" status 1, 0 descriptor(s)", "send_err -1 EINVAL", "send_err -1 EINVAL"},
                   {"the text without its null byte, then send_fd(fd, status): 0 and -status (APUE figure 17.12)",
                    "a null errmsg sends no text, only the two bytes", "status 0 is not an error: EINVAL, nothing sent",
                    "-256 does not fit in the status byte: EINVAL, nothing sent"});
  expect::clean(r);
}

TEST_CASE("recv_fd returns the passed descriptor and hands the text before it to userfunc",
          "[recv_fd][pts=2]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    temp_file f("/tmp/recv.txt", "for recv_fd");
    int fd = open(f.path.c_str(), O_RDONLY);
    int sv[2];
    if (fd < 0 || socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0) return -2;
    bool sent = raw_send(sv[0], "note: ") && raw_send(sv[0], "here it is") &&
                raw_send(sv[0], std::string(2, '\0'), {fd});
    close(fd);
    c.send(sent ? "sent" : "sendmsg failed");
    errno = 0;
    int got = STUDENT(recv_fd)(sv[1], collect);
    c.send(got >= 0 ? "a descriptor reading \"" + content_of(got) + "\"" : "recv_fd " + outcome(got, errno));
    c.send("userfunc got \"" + collected + "\"" + (userfunc_fd_ok ? "" : " with a fd other than STDERR_FILENO"));
    if (got >= 0) close(got);
    // Again with no text and a null userfunc.
    fd = open("/dev/null", O_RDONLY);
    raw_send(sv[0], std::string(2, '\0'), {fd});
    close(fd);
    errno = 0;
    got = STUDENT(recv_fd)(sv[1], nullptr);
    c.send(got >= 0 ? "null userfunc fine" : "null userfunc: " + outcome(got, errno));
    if (got >= 0) close(got);
    close(sv[0]);
    close(sv[1]);
    return 0;
  });
  expect::messages(r,
                   {"sent", "a descriptor reading \"for recv_fd\"", "userfunc got \"note: here it is\"",
                    "null userfunc fine"},
                   {"the test sends two pieces of text, then 0, 0 and a descriptor",
                    "status 0: recv_fd returns the descriptor that came with it",
                    "every byte before the null byte goes to userfunc(STDERR_FILENO, buf, n), in order",
                    "a null userfunc means: discard the text"});
  expect::clean(r);
}

TEST_CASE("recv_fd reads again when the status byte comes after the null byte, in a later message",
          "[recv_fd][stream][pts=2]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    temp_file f("/tmp/late.txt", "the late descriptor");
    int fd = open(f.path.c_str(), O_RDONLY);
    int sv[2], rep[2];
    if (fd < 0 || socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0 || pipe(rep) < 0) return -2;
    pid_t pid = fork();
    if (pid == 0) {  // the receiver
      close(sv[0]);
      close(rep[0]);
      close(fd);
      collected.clear();
      errno = 0;
      int got = STUDENT(recv_fd)(sv[1], collect);
      report(rep[1], got >= 0 ? "a descriptor reading \"" + content_of(got) + "\"" : "recv_fd " + outcome(got, errno));
      report(rep[1], "userfunc got \"" + collected + "\"");
      _exit(0);
    }
    close(sv[1]);
    close(rep[1]);
    // The text and the null byte; the status byte (with the descriptor)
    // follows only once the receiver has read them and waits again.
    bool sent = raw_send(sv[0], std::string("wait for it") + '\0');
    std::string seen = sent ? receiver_waits_again(pid) : "the test could not send the text";
    c.send(seen == "waits" ? "the receiver read the null byte and waits" : seen);
    raw_send(sv[0], std::string(1, '\0'), {fd});
    close(fd);
    close(sv[0]);
    wait_child(pid);
    for (const auto& l : read_report(rep[0])) c.send(l);
    close(rep[0]);
    return 0;
  });
  expect::messages(r,
                   {"the receiver read the null byte and waits", "a descriptor reading \"the late descriptor\"",
                    "userfunc got \"wait for it\""},
                   {"the test sends text and the null byte, then waits until recv_fd is blocked in recvmsg() again",
                    "a stream keeps no message boundaries: the status byte may come in a second read after "
                    "the null byte. Remember that the null byte came and read again for the status byte "
                    "(APUE figure 17.14 loops until it has both)",
                    "the text before the null byte goes to userfunc"});
  expect::clean(r);
}

TEST_CASE("recv_fd turns an error status into errno, a closed peer into ECONNRESET, nonsense into EBADMSG",
          "[recv_fd][errors][pts=2]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    // Each case: what the peer sends (text, descriptor or not), then whether it closes.
    struct peer {
      std::string bytes;
      bool with_fd;
      bool then_close;
    } cases[] = {
        {"can't open /x: No such file" + std::string(1, '\0') + "\x02", false, false},
        {std::string(2, '\0'), false, false},
        {std::string(1, '\0') + "\x05", true, false},
        {"half a reply", false, true},
        {std::string(3, '\0'), true, false},
    };
    for (const auto& k : cases) {
      int sv[2];
      if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0) return -2;
      int fd = k.with_fd ? open("/dev/null", O_RDONLY) : -1;
      raw_send(sv[0], k.bytes, k.with_fd ? std::vector<int>{fd} : std::vector<int>{});
      if (fd >= 0) close(fd);
      if (k.then_close) close(sv[0]);
      collected.clear();
      errno = 0;
      int rc = STUDENT(recv_fd)(sv[1], collect);
      c.send(outcome(rc, errno) + (collected.empty() ? "" : " \"" + collected + "\""));
      if (rc >= 0) close(rc);
      if (!k.then_close) close(sv[0]);
      close(sv[1]);
    }
    return 0;
  });
  expect::messages(r,
                   {"-1 ENOENT \"can't open /x: No such file\"", "-1 EBADMSG", "-1 EBADMSG", "-1 ECONNRESET \"half a reply\"",
                    "-1 EBADMSG"},
                   {"status byte 2: recv_fd fails with errno 2 (ENOENT), after giving the text to userfunc",
                    "status 0 promises a descriptor; none came",
                    "a descriptor came with an error status: close it, EBADMSG",
                    "end-of-file before the null and status bytes: the peer is gone",
                    "a byte after the status byte: the reply is malformed (close the descriptor that came)"});
  INFO("on every failure a descriptor that arrived must be closed");
  expect::clean(r);
}

TEST_CASE("the open server answers 300 requests in a row and closes each descriptor it sends",
          "[open_server][pts=3]") {
  auto r = serve([](int sock, int rep) {
    const char* paths[] = {"/tmp/a.txt", "/tmp/b.txt", "/tmp/c.txt"};
    const char* want[] = {"contents of a", "contents of b", "contents of c"};
    int done = 0;
    for (int i = 0; i < 300; ++i, ++done) {
      std::string wrong = ask(sock, request(paths[i % 3], O_RDONLY), want[i % 3]);
      if (!wrong.empty()) {
        report(rep, "request " + std::to_string(i + 1) + " (open " + paths[i % 3] + "): " + wrong);
        break;
      }
    }
    report(rep, std::to_string(done) + " answered");
  });
  expect::returned(r);
  REQUIRE(!r.messages.empty());
  bool out_of_descriptors = std::any_of(r.messages.begin(), r.messages.end(), [](const std::string& m) {
    return m.find("EMFILE") != std::string::npos;
  });
  for (std::size_t i = 1; i + 1 < r.messages.size(); ++i)
    check_that(false, "the client got: " + r.messages[i] + "; open_server said " + r.messages.front().substr(7) +
                          (out_of_descriptors
                               ? "\n(after send_fd() the server must close() the descriptor it opened, or it "
                                 "runs out of descriptors after some 250 requests: APUE 17.5)"
                               : ""));
  check_that(r.messages.back() == "300 answered", "every request gets its descriptor: 0, 0 and SCM_RIGHTS");
  check_that(r.messages.front() == "server 0",
             "open_server returns 0 once the client closes its end between requests; it said " + r.messages.front());
  expect::clean(r);
}

TEST_CASE("the open server passes an error text for a file it cannot open, then goes on",
          "[open_server][errors][pts=3]") {
  auto r = serve([](int sock, int rep) {
    auto reply = [&](const std::string& req) {
      if (!raw_send(sock, req)) return report(rep, "send failed");
      std::string text;
      int status = -1;
      std::vector<int> fds;
      if (!raw_reply(sock, text, status, fds)) return report(rep, "no reply");
      for (int fd : fds) close(fd);
      report(rep, std::string(status == 0 ? "0" : ipclab::errno_name(status)) + " \"" + text + "\" " +
                      std::to_string(fds.size()));
    };
    reply(request("/tmp/no-such-file", O_RDONLY));
    reply(request("/tmp", O_WRONLY));
    reply(std::string("read /tmp/a.txt 0") + '\0');
    reply(std::string("open /tmp/a.txt") + '\0');
    reply(std::string("open /tmp/a.txt zero") + '\0');
    reply(request("/tmp/b.txt", O_RDONLY));
  });
  expect::returned(r);
  REQUIRE(r.messages.size() == 7);
  const auto& m = r.messages;
  check_that(m[0] == "server 0", "open_server returns 0 at end-of-file; it said " + m[0]);
  check_that(m[1] == "ENOENT \"can't open /tmp/no-such-file: No such file or directory\" 0",
             "open() failed with ENOENT: send_err(fd, -ENOENT, \"can't open <path>: <strerror>\"); got " + m[1]);
  check_that(m[2] == "EISDIR \"can't open /tmp: Is a directory\" 0",
             "open(\"/tmp\", O_WRONLY) fails with EISDIR: its errno travels as the status byte; got " + m[2]);
  for (int i = 3; i <= 5; ++i)
    check_that(m[i].rfind("EINVAL \"bad request", 0) == 0 && m[i].substr(m[i].size() - 2) == " 0",
               "a malformed request gets send_err(fd, -EINVAL, \"bad request...\") and no descriptor; got " + m[i]);
  check_that(m[6] == "0 \"\" 1", "after error replies the server still serves the next request; got " + m[6]);
  expect::clean(r);
}

TEST_CASE("the open server finds requests split across reads and several in one read",
          "[open_server][stream][pts=2]") {
  auto r = serve([](int sock, int rep) {
    std::string a = request("/tmp/a.txt", O_RDONLY), b = request("/tmp/b.txt", O_RDONLY),
                d = request("/tmp/c.txt", O_RDONLY);
    auto answer = [&](const std::string& want) {
      std::string text;
      int status = -1;
      std::vector<int> fds;
      if (!raw_reply(sock, text, status, fds)) return report(rep, "no reply");
      std::string got = fds.size() == 1 ? content_of(fds[0]) : "";
      for (int fd : fds) close(fd);
      report(rep, status == 0 && got == want ? "ok" : "status " + std::to_string(status) + " \"" + text + "\"");
    };
    raw_send(sock, a + b + d.substr(0, 7));  // two and a half requests at once
    answer("contents of a");
    answer("contents of b");
    raw_send(sock, d.substr(7));
    answer("contents of c");
    for (char ch : a) raw_send(sock, std::string(1, ch));  // one byte per write
    answer("contents of a");
  });
  expect::messages(r, {"server 0", "ok", "ok", "ok", "ok"},
                   {"open_server returns 0 at end-of-file",
                    "a stream socket keeps no boundaries: one read() brought two requests and half of a third",
                    "the second request of that read must be answered too",
                    "the rest of the third request came later: keep the unfinished bytes",
                    "a request that arrives one byte at a time"});
  expect::clean(r);
}

TEST_CASE("open_server and recv_fd together over fd_pipe: nothing leaked on either side",
          "[open_server][recv_fd][fd_pipe][cleanup][pts=2]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    temp_file a("/tmp/a.txt", "contents of a");
    int sv[2] = {-1, -1}, rep[2];
    if (STUDENT(fd_pipe)(sv) < 0) {
      c.send("fd_pipe " + outcome(-1, errno));
      return 0;
    }
    if (pipe(rep) < 0) return -2;
    pid_t pid = fork();
    if (pid == 0) {  // the server, counting its own descriptors
      close(sv[0]);
      close(rep[0]);
      auto before = open_fd_list();
      int rc = STUDENT(open_server)(sv[1]);
      auto after = open_fd_list();
      std::string extra;
      for (const auto& e : after)
        if (std::find(before.begin(), before.end(), e) == before.end()) extra += " " + e;
      report(rep[1], "server " + outcome(rc, errno) + (extra.empty() ? ", no descriptor left" : ", left:" + extra));
      _exit(0);
    }
    close(sv[1]);
    close(rep[1]);
    int good = 0, bad = 0;
    for (int i = 0; i < 100; ++i) {
      std::string req = request(i % 4 == 3 ? "/tmp/missing" : "/tmp/a.txt", O_RDONLY);
      if (!raw_send(sv[0], req)) break;
      int fd = STUDENT(recv_fd)(sv[0], nullptr);
      if (fd >= 0) {
        good += content_of(fd) == "contents of a";
        close(fd);
      } else {
        bad += errno == ENOENT;
      }
    }
    close(sv[0]);
    wait_child(pid);
    c.send(std::to_string(good) + " good, " + std::to_string(bad) + " ENOENT");
    for (const auto& l : read_report(rep[0])) c.send(l);
    close(rep[0]);
    return 0;
  });
  expect::messages(r, {"75 good, 25 ENOENT", "server 0, no descriptor left"},
                   {"recv_fd returns each descriptor, or -1 with the server's errno (ENOENT)",
                    "the server closes every descriptor it opened, sent or not"});
  INFO("the client side (recv_fd) must not keep any descriptor either");
  expect::clean(r);
}
