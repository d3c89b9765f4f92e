// demo-fd-passing: handing an open file to another process over a UNIX domain socket.
//
// Part 1: the parent opens a file and passes the descriptor to its child
// with sendmsg() and SCM_RIGHTS; they take turns reading and each read
// continues where the other stopped, because both descriptors share one
// file offset. Part 2: a tiny open server: the client names a file, the
// server opens it and answers with the descriptor, or with an error text.
//
// Run it:  ./ipclab demo fd-passing          (add --trace to see the fd tables)
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

#include "ipclab/die.hpp"
#include "ipclab/reap.hpp"
#include "ipclab/fd_factory.hpp"
#include "ipclab/io.hpp"
#include "ipclab/trace.hpp"

using namespace ipclab;

namespace {

//! [send-one-fd]
// Sends @p data (at least one byte) and, when @p fd >= 0, the descriptor.
void send_with_fd(int sock, const std::string& data, int fd) {
  union {                 // the union aligns the buffer for struct cmsghdr
    cmsghdr align;
    char buf[CMSG_SPACE(sizeof(int))];  // room for the header and one int
  } control;
  iovec iov{const_cast<char*>(data.data()), data.size()};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  if (fd >= 0) {
    msg.msg_control = control.buf;
    msg.msg_controllen = sizeof control.buf;
    cmsghdr* c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;               // "these ints are descriptors"
    c->cmsg_len = CMSG_LEN(sizeof(int));     // header + data, no trailing padding
    std::memcpy(CMSG_DATA(c), &fd, sizeof fd);
  }
  if (sendmsg(sock, &msg, MSG_NOSIGNAL) < 0) die_errno("sendmsg()");
}
//! [send-one-fd]

//! [recv-one-fd]
// Receives up to @p n bytes into @p buf; returns the descriptor that came, or -1.
int recv_with_fd(int sock, char* buf, std::size_t n, ssize_t& got) {
  union {
    cmsghdr align;
    char buf[CMSG_SPACE(sizeof(int))];
  } control;
  iovec iov{buf, n};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control.buf;
  msg.msg_controllen = sizeof control.buf;
  if ((got = recvmsg(sock, &msg, 0)) < 0) die_errno("recvmsg()");
  if (msg.msg_flags & MSG_CTRUNC) die("recvmsg(): control data truncated (MSG_CTRUNC)");
  cmsghdr* c = CMSG_FIRSTHDR(&msg);
  if (c == nullptr || c->cmsg_type != SCM_RIGHTS) return -1;  // data alone
  int fd;
  std::memcpy(&fd, CMSG_DATA(c), sizeof fd);   // a new number in *this* process
  return fd;
}
//! [recv-one-fd]

std::string read_line(int fd) {
  std::string line;
  char ch;
  for (ssize_t n; (n = read(fd, &ch, 1)) == 1 && ch != '\n';) line += ch;
  return line;
}

void wait_for(pid_t pid, const char* who) {
  narrate(std::string(who) + " ended with status " + std::to_string(WEXITSTATUS(wait_child(pid))));
}

void shared_offset() {
  narrate("part 1: the parent passes an open file to its child; they share one offset");
  char path[] = "/tmp/ipclab-fdpass-XXXXXX";
  unique_fd file(mkstemp(path));
  if (!file) die_errno("mkstemp()");
  if (unlink(path) < 0) die_errno("unlink()");  // the descriptor keeps the file alive
  const std::string text = "line 1\nline 2\nline 3\nline 4\n";
  if (writen(file.get(), text.data(), text.size()) < 0) die_errno("write()");
  if (lseek(file.get(), 0, SEEK_SET) < 0) die_errno("lseek()");
  auto [mine, theirs] = make_socketpair(SOCK_STREAM);
  pid_t pid = fork();
  if (pid < 0) die_errno("fork()");
  if (pid == 0) {
    mine.reset();
    file.reset();  // the child starts without the file: only the socket
    trace_fds("fork(), in the child, before recvmsg()");
    //! [child-receives]
    char byte;
    ssize_t n;
    unique_fd passed(recv_with_fd(theirs.get(), &byte, 1, n));
    if (!passed) die("the parent sent no descriptor");
    trace_fds("recvmsg() in the child: a new descriptor for the same file");
    narrate("child got fd " + std::to_string(passed.get()) + " and reads: " + read_line(passed.get()));
    if (writen(theirs.get(), "k", 1) < 0) child_die_errno("write()");  // your turn
    //! [child-receives]
    _exit(0);
  }
  theirs.reset();
  //! [parent-sends]
  send_with_fd(mine.get(), "F", file.get());
  narrate("parent sent fd " + std::to_string(file.get()) + " with one byte of data");
  char turn;
  if (readn(mine.get(), &turn, 1) != 1) die("the child did not answer");
  narrate("parent reads next: " + read_line(file.get()) + "  (the child's read moved our offset)");
  narrate("parent's offset is now " + std::to_string(lseek(file.get(), 0, SEEK_CUR)));
  //! [parent-sends]
  wait_for(pid, "child");
}

// The server: each request is a pathname; each reply is an error text, a
// null byte and a status byte (0 or errno), with the descriptor when it is 0.
[[noreturn]] void open_server(int sock) {
  char name[256];
  ssize_t n;
  while ((n = read(sock, name, sizeof name - 1)) > 0) {
    name[n] = '\0';
    //! [server-answers]
    unique_fd fd(open(name, O_RDONLY));
    if (fd) {
      send_with_fd(sock, std::string(2, '\0'), fd.get());  // then fd closes here
    } else {
      std::string reply = std::string("can't open ") + name + ": " + std::strerror(errno);
      reply += '\0';
      reply += static_cast<char>(errno);  // no descriptor with a nonzero status
      send_with_fd(sock, reply, -1);
    }
    //! [server-answers]
  }
  if (n < 0) child_die_errno("read()");
  _exit(0);  // end-of-file: the client is done
}

void ask(int sock, const char* name) {
  if (writen(sock, name, std::strlen(name)) < 0) die_errno("write()");
  char reply[512];
  ssize_t n;
  unique_fd fd(recv_with_fd(sock, reply, sizeof reply, n));
  if (n < 2 || reply[n - 2] != '\0') die("malformed reply from the server");
  if (fd) narrate(std::string("client got fd ") + std::to_string(fd.get()) + " for " + name +
                  "; first line: " + read_line(fd.get()));
  else narrate("client got an error, status " + std::string(errno_name(reply[n - 1])) + ": " + reply);
}

void open_server_demo() {
  narrate("part 2: the open server opens files for its client and passes the descriptors");
  auto [client, server] = make_socketpair(SOCK_STREAM);
  pid_t pid = fork();
  if (pid < 0) die_errno("fork()");
  if (pid == 0) {
    client.reset();
    open_server(server.get());
  }
  server.reset();
  ask(client.get(), "/etc/os-release");
  ask(client.get(), "/no/such/file");
  client.reset();  // the server reads end-of-file and exits
  wait_for(pid, "open server");
}

}  // namespace

int main() {
  shared_offset();
  open_server_demo();
  narrate("done: no descriptor left open, no file, every child waited for");
  return 0;
}
