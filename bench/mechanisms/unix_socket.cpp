// UNIX-domain socket pairs: full duplex, one descriptor per side.
#include <sys/socket.h>

#include "fd_channel.hpp"
#include "ipclab/fd_factory.hpp"
#include "mechanisms.hpp"

namespace ipclab::bench {
namespace {

std::unique_ptr<channel> make_socket_channel(int type, framing f) {
  auto pair = make_socketpair(type, SOCK_CLOEXEC);
  return std::make_unique<fd_channel>(f, fd_ends{std::move(pair.first), {}},
                                      fd_ends{std::move(pair.second), {}});
}

}  // namespace

std::unique_ptr<channel> make_unix_stream_channel(std::size_t) {
  return make_socket_channel(SOCK_STREAM, framing::stream);
}

std::unique_ptr<channel> make_unix_dgram_channel(std::size_t) {
  return make_socket_channel(SOCK_DGRAM, framing::datagram);
}

}  // namespace ipclab::bench
