// `ipclab check`: compile a fill-in, run the prebuilt graded tests on it.
#pragma once

#include <nlohmann/json.hpp>

#include "kit.hpp"

namespace ipclab::cli {

/// Exit codes shared by every command (see DESIGN.md, "The CLI").
enum exit_code : int { all_passed = 0, some_failed = 1, bad_usage = 2, did_not_compile = 3 };

/// One chapter checked.
struct chapter_report {
  nlohmann::json results;   ///< Gradescope-shaped: chapter, score, max_score, execution_time, tests
  bool compiled = false;
  std::string compiler_output;
  exit_code code = some_failed;
};

/// Compiles @p c from @p exercises and runs its tests in the sandbox. A
/// fill-in that does not compile still yields a report (every test failed,
/// naming the cause) and exit code did_not_compile.
chapter_report check_chapter(const kit& k, const chapter& c, const fs::path& exercises);

/// The `check` command's exit code over several chapters: the worst one.
exit_code combined(const std::vector<chapter_report>& reports);

}  // namespace ipclab::cli
