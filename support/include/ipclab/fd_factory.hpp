/// @file fd_factory.hpp
/// @brief Factories for descriptor pairs: pipes and socket pairs, owned.
#pragma once

#include "ipclab/unique_fd.hpp"

namespace ipclab {

/// The two ends of a pipe: data written to write_end is read from read_end.
struct pipe_ends {
  unique_fd read_end;
  unique_fd write_end;
};

/// pipe2(@p flags) (e.g. O_CLOEXEC, O_NONBLOCK); throws std::system_error.
pipe_ends make_pipe(int flags = 0);

/// Two connected, full-duplex UNIX-domain sockets.
struct socket_ends {
  unique_fd first;
  unique_fd second;
};

/// socketpair(AF_UNIX, @p type | @p flags, 0); throws std::system_error.
socket_ends make_socketpair(int type, int flags = 0);

}  // namespace ipclab
