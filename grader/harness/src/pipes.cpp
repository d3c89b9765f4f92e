// The parent-fed and parent-drained pipes a test hands to a call.
#include <fcntl.h>
#include <unistd.h>

#include "ipclab/check.hpp"
#include "ipclab/sandbox.hpp"

namespace ipclab::sandbox {
namespace {

// The parent's end closes on exec and never blocks; the call's end is plain.
void make(int& parent_end, int& child_end, bool parent_reads) {
  int fds[2];
  check_unix(::pipe(fds), "pipe()");
  parent_end = parent_reads ? fds[0] : fds[1];
  child_end = parent_reads ? fds[1] : fds[0];
  ::fcntl(parent_end, F_SETFD, FD_CLOEXEC);
  ::fcntl(parent_end, F_SETFL, O_NONBLOCK);
}

void close_if_open(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

}  // namespace

input_pipe::input_pipe(std::string data) : data_(std::move(data)) {
  make(parent_fd_, child_fd_, false);
}
input_pipe::~input_pipe() {
  close_if_open(parent_fd_);
  close_if_open(child_fd_);
}

output_pipe::output_pipe() { make(parent_fd_, child_fd_, true); }
output_pipe::~output_pipe() {
  close_if_open(parent_fd_);
  close_if_open(child_fd_);
}

}  // namespace ipclab::sandbox
