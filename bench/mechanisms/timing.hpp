/// @file timing.hpp
/// @brief The benchmark's clock and the statistics of its samples.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace ipclab::bench {

/// CLOCK_MONOTONIC now, in nanoseconds.
std::uint64_t now_ns() noexcept;

/// Median and 99th percentile of a set of samples (same unit as the samples).
struct spread {
  double median = 0;
  double p99 = 0;
};

/// The median and p99 (nearest-rank) of @p samples; {0, 0} when empty.
/// Sorts @p samples in place.
spread summarize(std::vector<std::uint64_t>& samples);

/// The median of @p values (sorted in place); 0 when empty.
double median(std::vector<double>& values);

/// Throughput in MB/s (10^6 bytes per second) of @p bytes moved in @p ns.
double mb_per_s(std::size_t bytes, std::uint64_t ns) noexcept;

}  // namespace ipclab::bench
