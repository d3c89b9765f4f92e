// Baselines: memcpy throughput and the cost of a raw system call.
#include "baselines.hpp"

#include <sys/syscall.h>
#include <unistd.h>

#include <cstring>
#include <vector>

#include "process.hpp"
#include "timing.hpp"

namespace ipclab::bench {

double memcpy_mb_s(std::size_t chunk, std::size_t working_set, std::size_t total) {
  throw_if_interrupted();
  std::vector<char> source(chunk, 's');
  std::vector<char> dest(std::max(working_set, chunk), 'd');
  const std::size_t places = dest.size() / chunk;
  const std::size_t copies = std::max<std::size_t>(total / chunk, 1);
  std::uint64_t start = now_ns();
  for (std::size_t i = 0; i < copies; ++i) {
    char* to = dest.data() + (i % places) * chunk;
    std::memcpy(to, source.data(), chunk);
    // Tell the compiler the copy is observed, so it cannot be elided.
    __asm__ __volatile__("" : : "r"(to) : "memory");
  }
  return mb_per_s(copies * chunk, now_ns() - start);
}

double syscall_ns(long calls, int runs) {
  std::vector<double> per_call;
  for (int r = 0; r < runs; ++r) {
    throw_if_interrupted();
    std::uint64_t start = now_ns();
    for (long i = 0; i < calls; ++i) ::syscall(SYS_getppid);  // never cached by the C library
    per_call.push_back(static_cast<double>(now_ns() - start) / static_cast<double>(calls));
  }
  return median(per_call);
}

}  // namespace ipclab::bench
