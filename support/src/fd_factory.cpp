// Owned descriptor pairs: pipes and UNIX-domain socket pairs.
#include "ipclab/fd_factory.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include "ipclab/check.hpp"

namespace ipclab {

pipe_ends make_pipe(int flags) {
  int fds[2];
  check_unix(::pipe2(fds, flags), "pipe2()");
  return {unique_fd(fds[0]), unique_fd(fds[1])};
}

socket_ends make_socketpair(int type, int flags) {
  int fds[2];
  check_unix(::socketpair(AF_UNIX, type | flags, 0, fds), "socketpair(AF_UNIX)");
  return {unique_fd(fds[0]), unique_fd(fds[1])};
}

}  // namespace ipclab
