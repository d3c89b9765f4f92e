// Run settings (full and --quick) and look-ups in a run's results.
#include "results.hpp"

namespace ipclab::bench {

settings settings::for_mode(bool quick) {
  settings s;
  if (!quick) return s;
  s.quick = true;
  s.latency_iterations = 1000;
  s.throughput_bytes_small = 4u << 20;
  s.throughput_bytes_large = 16u << 20;
  s.throughput_rounds = 1;
  s.syscall_calls = 100'000;
  s.syscall_runs = 3;
  s.apue_pairs = 5'000;
  return s;
}

const ipc_figure* bench_results::find(const std::string& mechanism, std::size_t size) const {
  for (const auto& f : ipc)
    if (f.mechanism == mechanism && f.size == size) return &f;
  return nullptr;
}

std::optional<double> bench_results::ratio_to_memcpy(const std::string& mechanism,
                                                     std::size_t chunk) const {
  const ipc_figure* f = find(mechanism, chunk);
  if (!f || !f->throughput_mb_s) return std::nullopt;
  for (const auto& m : memcpy)
    if (m.chunk == chunk && m.mb_s > 0) return *f->throughput_mb_s / m.mb_s;
  return std::nullopt;
}

}  // namespace ipclab::bench
