/// @file pingpong.hpp
/// @brief The two drivers: round-trip latency (ping-pong) and one-way throughput.
///
/// Both run over any channel between this process and a forked peer, so
/// every mechanism is measured by the same code.
#pragma once

#include <cstddef>

#include "channel.hpp"
#include "timing.hpp"

namespace ipclab::bench {

/// Where the two processes of a latency measurement run.
enum class placement {
  one_cpu,   ///< both pinned to one CPU: each trip costs the mechanism and two context switches
  any_cpus,  ///< wherever the scheduler puts them: adds waking a process on another CPU
};

/// Round trips: this process sends @p size bytes, the peer sends them back.
/// After a few untimed warm-up trips, each of @p iterations trips is timed
/// on its own with CLOCK_MONOTONIC.
/// @return the median and p99 of the round-trip times, in ns.
/// @throws unavailable when the mechanism cannot carry @p size bytes.
spread measure_latency(const channel_factory& make, std::size_t size, int iterations,
                       placement where);

/// One way: this process sends @p total bytes in @p chunk-byte messages;
/// the peer receives them all and answers with a 1-byte acknowledgement.
/// The scheduler places the two processes (on two CPUs they copy at once).
/// Timed from the first send to the acknowledgement, after an untimed warm-up.
/// @return the rate in MB/s (10^6 bytes per second).
/// @throws unavailable when the mechanism cannot carry @p chunk bytes.
double measure_throughput(const channel_factory& make, std::size_t chunk, std::size_t total);

}  // namespace ipclab::bench
