// Running part of a chapter's tests: `--test PATTERN` and `--fail-fast`.
#pragma once

#include <string>
#include <vector>

#include "kit.hpp"

namespace CLI {
class App;
}

namespace ipclab::cli {

/// Which tests of a chapter to run, as the command line asked.
struct test_selection {
  std::string pattern;     ///< a test's number, or part of its name (any case); empty: all
  bool fail_fast = false;  ///< stop at the first test that fails

  bool partial() const { return !pattern.empty() || fail_fast; }
};

/// The names of @p binary's tests (a chapter's Catch2 test runner), in order.
std::vector<std::string> test_names(const fs::path& binary);

/// Adds --test PATTERN and --fail-fast to a subcommand, filling @p only.
void add_test_selection(CLI::App& sub, test_selection& only);

/// The arguments that make @p binary (a chapter's Catch2 test runner) run
/// only the tests @p s selects: each matching test's exact name, escaped as
/// a Catch2 test spec, and --abort for fail_fast. Throws usage_error naming
/// the chapter's tests when none matches.
std::vector<std::string> test_args(const fs::path& binary, const test_selection& s);

/// The arguments of @p shards runs of @p binary that together run the tests
/// @p s selects, the n-th test selected going to run n mod @p shards (fewer
/// runs when fewer tests are selected). One run, test_args(), when
/// @p shards < 2 or @p s stops at the first failure (a run in the chapter's
/// order decides which failure is first). Throws as test_args() does.
std::vector<std::vector<std::string>> shard_args(const fs::path& binary, const test_selection& s,
                                                 unsigned shards);

}  // namespace ipclab::cli
