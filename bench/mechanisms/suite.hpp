/// @file suite.hpp
/// @brief The whole benchmark: every mechanism, the baselines, APUE's tables.
#pragma once

#include "results.hpp"

namespace ipclab::bench {

/// Runs every measurement with @p s, showing progress on a terminal.
/// A size a kernel limit forbids is recorded as unavailable with the reason.
/// Needs a scratch_dir; throws interrupted on ^C (after cleaning up).
bench_results run_suite(const settings& s);

/// "64 B", "1 KiB", "64 KiB", "1 MiB".
std::string human_size(std::size_t bytes);

}  // namespace ipclab::bench
