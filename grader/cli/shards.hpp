// A chapter's tests in several runs at once, merged into one report.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "check.hpp"

namespace ipclab::cli {

/// How many runs at once `check` makes by default: the CPUs this process
/// may run on (sched_getaffinity), at most 4 (a call's own processes need
/// the rest), at least 1.
unsigned default_jobs();

/// Runs the tests of @p binary on @p module in one run per element of
/// @p shards (its test-choosing arguments), all at once, each behind its
/// own fence of @p f, and returns the report they make together, as one
/// run of all those tests would (ipclab/results.hpp). Needs the
/// namespaces' fence: throws std::logic_error when @p f has a weaker one;
/// otherwise throws as run_tests() does.
nlohmann::json run_shards(const fs::path& binary, const std::string& module, const std::string& folder,
                          const fencing& f, const std::vector<std::vector<std::string>>& shards);

}  // namespace ipclab::cli
