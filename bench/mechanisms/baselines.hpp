/// @file baselines.hpp
/// @brief The machine's limits the IPC figures are read against.
#pragma once

#include <cstddef>

namespace ipclab::bench {

/// memcpy throughput in MB/s (10^6 bytes/s): @p chunk-byte copies from one
/// source buffer into consecutive places of a @p working_set-byte
/// destination (wrapping around), @p total bytes in all.
/// One process, one core: what a single copy of the data costs.
double memcpy_mb_s(std::size_t chunk, std::size_t working_set, std::size_t total);

/// The cost of the cheapest real system call, syscall(SYS_getppid), in ns
/// per call: the median of @p runs batches of @p calls calls.
double syscall_ns(long calls, int runs);

}  // namespace ipclab::bench
