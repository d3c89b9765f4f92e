// Runs every measurement in report order and collects the figures.
#include "suite.hpp"

#include <fmt/format.h>

#include "baselines.hpp"
#include "mechanisms.hpp"
#include "pingpong.hpp"
#include "progress.hpp"
#include "shm_ring.hpp"
#include "timing.hpp"

namespace ipclab::bench {
namespace {

ipc_figure measure(const mechanism& m, std::size_t size, bool latency, const settings& s) {
  ipc_figure f{m.name, size, {}, {}, {}, {}};
  try {
    if (latency) {
      spread rtt = measure_latency(m.make, size, s.latency_iterations, placement::one_cpu);
      f.latency_ns_median = rtt.median;
      f.latency_ns_p99 = rtt.p99;
    } else {
      f.throughput_mb_s =
          measure_throughput(m.make, size, s.throughput_bytes(size), s.throughput_runs);
    }
  } catch (const unavailable& why) {
    f.unavailable = why.what();
  }
  return f;
}

}  // namespace

std::string human_size(std::size_t bytes) {
  if (bytes >= (1u << 20) && bytes % (1u << 20) == 0) return fmt::format("{} MiB", bytes >> 20);
  if (bytes >= 1024 && bytes % 1024 == 0) return fmt::format("{} KiB", bytes >> 10);
  return fmt::format("{} B", bytes);
}

bench_results run_suite(const settings& s) {
  bench_results r;
  r.used = s;
  auto mechanisms = all_mechanisms();
  const int steps = static_cast<int>(mechanisms.size() *
                                     (s.latency_sizes.size() + s.throughput_sizes.size()) +
                                     s.throughput_sizes.size() + 2 + 5);
  progress shown(steps);
  std::uint64_t start = now_ns();
  for (const auto& m : mechanisms) {
    r.mechanisms.push_back(m.name);
    for (std::size_t size : s.latency_sizes) {
      shown.step(fmt::format("{}: round-trip latency, {}", m.name, human_size(size)));
      r.ipc.push_back(measure(m, size, true, s));
    }
    for (std::size_t size : s.throughput_sizes) {
      shown.step(fmt::format("{}: throughput, {} chunks", m.name, human_size(size)));
      r.ipc.push_back(measure(m, size, false, s));
    }
  }
  for (std::size_t chunk : s.throughput_sizes) {
    shown.step(fmt::format("baseline: memcpy, {} chunks", human_size(chunk)));
    std::size_t working_set = ring_geometry_for(chunk).payload_bytes();
    r.memcpy.push_back({chunk, working_set,
                        memcpy_mb_s(chunk, working_set, s.throughput_bytes(chunk), s.throughput_runs)});
  }
  shown.step("baseline: syscall(SYS_getppid)");
  r.syscall_ns = syscall_ns(s.syscall_calls, s.syscall_runs);
  shown.step("baseline: pipe round trip across CPUs");
  r.pipe_rtt_any_cpus = measure_latency(make_pipe_channel, 64, s.latency_iterations, placement::any_cpus);
  auto announce = [&](const std::string& operation) { shown.step("APUE: " + operation); };
  r.apue.push_back(locking_alternatives(s.apue_pairs, announce));
  r.apue.push_back(semaphore_implementations(s.apue_pairs, announce));
  r.elapsed_s = static_cast<double>(now_ns() - start) / 1e9;
  return r;
}

}  // namespace ipclab::bench
