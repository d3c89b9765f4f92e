// Timing processes that compete for one lock (APUE 15.9, 15.10).
#include "contention.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <vector>

#include "ipclab/check.hpp"
#include "ipclab/fd_factory.hpp"
#include "process.hpp"
#include "timing.hpp"

namespace ipclab::bench {
namespace {

double seconds(const timeval& tv) { return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6; }

}  // namespace

cpu_times time_contention(process_lock& lock, int processes, long pairs) {
  // The start line: every process blocks reading this pipe until the
  // parent closes its write end, so they all start together.
  auto start_line = make_pipe(O_CLOEXEC);
  std::vector<std::unique_ptr<peer_process>> peers;
  for (int p = 0; p < processes; ++p)
    peers.push_back(std::make_unique<peer_process>([&] {
      start_line.write_end.reset();
      char c;
      while (::read(start_line.read_end.get(), &c, 1) < 0)
        if (!retry_after(errno)) throw_errno(errno, "read(start line)");
      for (long i = 0; i < pairs; ++i) {
        lock.acquire();
        lock.release();
      }
    }));
  std::uint64_t start = now_ns();
  start_line.write_end.reset();
  cpu_times t;
  for (auto& peer : peers) {
    rusage usage = peer->join();
    t.user += seconds(usage.ru_utime);
    t.system += seconds(usage.ru_stime);
  }
  t.clock = static_cast<double>(now_ns() - start) / 1e9;
  return t;
}

}  // namespace ipclab::bench
