// Pipes: two of them, one per direction (a pipe is one-way).
#include <fcntl.h>

#include "fd_channel.hpp"
#include "ipclab/fd_factory.hpp"
#include "mechanisms.hpp"

namespace ipclab::bench {

std::unique_ptr<channel> make_pipe_channel(std::size_t) {
  auto a_to_b = make_pipe(O_CLOEXEC);
  auto b_to_a = make_pipe(O_CLOEXEC);
  return std::make_unique<fd_channel>(
      framing::stream, fd_ends{std::move(b_to_a.read_end), std::move(a_to_b.write_end)},
      fd_ends{std::move(a_to_b.read_end), std::move(b_to_a.write_end)});
}

}  // namespace ipclab::bench
