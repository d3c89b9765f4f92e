// Transfers over descriptors: byte streams (pipes, FIFOs, stream sockets)
// and records (datagram sockets).
#include "fd_channel.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <string>

#include "ipclab/check.hpp"
#include "ipclab/io.hpp"
#include "process.hpp"

namespace ipclab::bench {

fd_channel::fd_channel(framing f, fd_ends a, fd_ends b)
    : framing_(f), a_(std::move(a)), b_(std::move(b)) {}

void fd_channel::become(side s) {
  use(std::move(s == side::a ? a_ : b_));
  a_ = {};  // the other side's descriptors: closed here
  b_ = {};
}

void fd_channel::use(fd_ends mine) { mine_ = std::move(mine); }

void fd_channel::send(const void* buf, std::size_t n) {
  int fd = mine_.out ? mine_.out.get() : mine_.in.get();
  throw_if_interrupted();
  if (framing_ == framing::stream) {
    if (writen(fd, buf, n) < 0) throw_errno(errno, "write()");
    return;
  }
  ssize_t sent;
  while ((sent = ::send(fd, buf, n, 0)) < 0) {
    if (errno == EMSGSIZE)  // a datagram must fit the socket's send buffer whole
      throw unavailable("a " + std::to_string(n) + "-byte datagram exceeds the send buffer "
                        "(SO_SNDBUF, /proc/sys/net/core/wmem_default)");
    if (!retry_after(errno)) throw_errno(errno, "send(" + std::to_string(n) + " bytes)");
  }
}

void fd_channel::recv(void* buf, std::size_t n) {
  int fd = mine_.in.get();
  throw_if_interrupted();
  ssize_t got;
  if (framing_ == framing::stream) {
    got = readn(fd, buf, n);
    if (got < 0) throw_errno(errno, "read()");
  } else {
    while ((got = ::recv(fd, buf, n, MSG_TRUNC)) < 0)
      if (!retry_after(errno)) throw_errno(errno, "recv()");
  }
  if (static_cast<std::size_t>(got) != n)
    throw std::runtime_error("expected " + std::to_string(n) + " bytes, got " +
                             std::to_string(got) + (got == 0 ? " (end-of-file: the peer died)" : ""));
}

}  // namespace ipclab::bench
