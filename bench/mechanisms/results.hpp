/// @file results.hpp
/// @brief Everything one run of the benchmark measured, and how.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "contention.hpp"
#include "timing.hpp"

namespace ipclab::bench {

/// How much work each measurement does (--quick shrinks all of it).
struct settings {
  bool quick = false;
  std::vector<std::size_t> latency_sizes{64, 1024};
  std::vector<std::size_t> throughput_sizes{4096, 65536};
  int latency_iterations = 20000;
  std::size_t throughput_bytes_small = 64u << 20;  ///< per run, 4 KiB chunks
  std::size_t throughput_bytes_large = 256u << 20; ///< per run, 64 KiB chunks
  int throughput_rounds = 7;  ///< each round measures every mechanism and memcpy once
  long syscall_calls = 1'000'000;
  int syscall_runs = 5;
  long apue_pairs = 200'000;

  /// The bytes per run for chunks of @p chunk bytes.
  std::size_t throughput_bytes(std::size_t chunk) const {
    return chunk >= 65536 ? throughput_bytes_large : throughput_bytes_small;
  }
  static settings for_mode(bool quick);
};

/// One mechanism at one size: latency (64 B, 1 KiB) or throughput (4 KiB, 64 KiB).
struct ipc_figure {
  std::string mechanism;
  std::size_t size = 0;
  std::optional<double> latency_ns_median;
  std::optional<double> latency_ns_p99;
  std::optional<double> throughput_mb_s;         ///< the best of the rounds
  std::optional<double> throughput_mb_s_median;  ///< the median of the rounds
  std::string unavailable;  ///< why the figure could not be measured, or empty
};

/// memcpy at one chunk size over a working set as big as the ring's payload.
struct memcpy_figure {
  std::size_t chunk = 0;
  std::size_t working_set = 0;
  double mb_s = 0;         ///< the best of the rounds
  double mb_s_median = 0;  ///< the median of the rounds
};

struct bench_results {
  settings used;
  std::vector<std::string> mechanisms;  ///< in report order
  std::vector<ipc_figure> ipc;
  std::vector<memcpy_figure> memcpy;
  double syscall_ns = 0;
  spread pipe_rtt_any_cpus;  ///< 64 B pipe round trip, processes free to use both CPUs
  std::vector<apue_table> apue;
  double elapsed_s = 0;

  /// The figure for @p mechanism at @p size, or null.
  const ipc_figure* find(const std::string& mechanism, std::size_t size) const;
  /// @p mechanism's throughput at @p chunk divided by memcpy's, when both exist.
  std::optional<double> ratio_to_memcpy(const std::string& mechanism, std::size_t chunk) const;
};

/// The shared-memory rings, whose ratio to memcpy the report states.
inline const char* const ring_mechanisms[] = {"xsi-shm-ring", "mmap-ring"};

}  // namespace ipclab::bench
