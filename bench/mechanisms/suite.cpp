// Runs every measurement in report order and collects the figures.
#include "suite.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "baselines.hpp"
#include "mechanisms.hpp"
#include "pingpong.hpp"
#include "progress.hpp"
#include "shm_ring.hpp"
#include "timing.hpp"

namespace ipclab::bench {
namespace {

ipc_figure measure_latency_of(const mechanism& m, std::size_t size, const settings& s) {
  ipc_figure f{m.name, size, {}, {}, {}, {}, {}};
  try {
    spread rtt = measure_latency(m.make, size, s.latency_iterations, placement::one_cpu);
    f.latency_ns_median = rtt.median;
    f.latency_ns_p99 = rtt.p99;
  } catch (const unavailable& why) {
    f.unavailable = why.what();
  }
  return f;
}

/// Best and median of one figure's rounds.
struct rounds {
  std::vector<double> rates;
  double best() const { return rates.empty() ? 0 : *std::max_element(rates.begin(), rates.end()); }
  double middle() const {
    auto copy = rates;
    return median(copy);
  }
};

/// Throughput in rounds: each round measures every mechanism, then memcpy,
/// once. A burst of other load on the machine then spoils one round of
/// everything rather than every run of one mechanism; other load can only
/// slow a run down, so the best round is the figure (as STREAM reports).
void measure_throughputs(const std::vector<mechanism>& mechanisms, const settings& s,
                         bench_results& r, progress& shown) {
  std::vector<ipc_figure> figures;
  std::vector<rounds> ipc_rounds;
  for (const auto& m : mechanisms)
    for (std::size_t size : s.throughput_sizes) {
      figures.push_back({m.name, size, {}, {}, {}, {}, {}});
      ipc_rounds.emplace_back();
    }
  std::vector<rounds> memcpy_rounds(s.throughput_sizes.size());
  for (int round = 1; round <= s.throughput_rounds; ++round) {
    std::size_t i = 0;
    for (const auto& m : mechanisms)
      for (std::size_t size : s.throughput_sizes) {
        ipc_figure& f = figures[i];
        rounds& samples = ipc_rounds[i++];
        shown.step(fmt::format("{}: throughput, {} chunks (round {}/{})", m.name, human_size(size),
                               round, s.throughput_rounds));
        if (!f.unavailable.empty()) continue;
        try {
          samples.rates.push_back(measure_throughput(m.make, size, s.throughput_bytes(size)));
        } catch (const unavailable& why) {
          f.unavailable = why.what();
        }
      }
    for (std::size_t k = 0; k < s.throughput_sizes.size(); ++k) {
      std::size_t chunk = s.throughput_sizes[k];
      shown.step(fmt::format("baseline: memcpy, {} chunks (round {}/{})", human_size(chunk), round,
                             s.throughput_rounds));
      memcpy_rounds[k].rates.push_back(
          memcpy_mb_s(chunk, ring_geometry_for(chunk).payload_bytes(), s.throughput_bytes(chunk)));
    }
  }
  for (std::size_t i = 0; i < figures.size(); ++i) {
    if (!ipc_rounds[i].rates.empty()) {
      figures[i].throughput_mb_s = ipc_rounds[i].best();
      figures[i].throughput_mb_s_median = ipc_rounds[i].middle();
    }
    r.ipc.push_back(figures[i]);
  }
  for (std::size_t k = 0; k < s.throughput_sizes.size(); ++k) {
    std::size_t chunk = s.throughput_sizes[k];
    r.memcpy.push_back({chunk, ring_geometry_for(chunk).payload_bytes(), memcpy_rounds[k].best(),
                        memcpy_rounds[k].middle()});
  }
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
  const std::size_t per_round = mechanisms.size() * s.throughput_sizes.size() + s.throughput_sizes.size();
  const int steps = static_cast<int>(mechanisms.size() * s.latency_sizes.size() +
                                     per_round * static_cast<std::size_t>(s.throughput_rounds) + 2 + 5);
  progress shown(steps);
  std::uint64_t start = now_ns();
  for (const auto& m : mechanisms) {
    r.mechanisms.push_back(m.name);
    for (std::size_t size : s.latency_sizes) {
      shown.step(fmt::format("{}: round-trip latency, {}", m.name, human_size(size)));
      r.ipc.push_back(measure_latency_of(m, size, s));
    }
  }
  measure_throughputs(mechanisms, s, r, shown);
  shown.step("baseline: syscall(SYS_getppid)");
  r.syscall_ns = syscall_ns(s.syscall_calls, s.syscall_runs);
  shown.step("baseline: pipe round trip across CPUs");
  r.pipe_rtt_any_cpus =
      measure_latency(make_pipe_channel, 64, s.latency_iterations, placement::any_cpus);
  auto announce = [&](const std::string& operation) { shown.step("APUE: " + operation); };
  r.apue.push_back(locking_alternatives(s.apue_pairs, announce));
  r.apue.push_back(semaphore_implementations(s.apue_pairs, announce));
  r.elapsed_s = static_cast<double>(now_ns() - start) / 1e9;
  return r;
}

}  // namespace ipclab::bench
