// `ipclab check`: compile a fill-in, run the prebuilt graded tests on it.
#pragma once

#include <nlohmann/json.hpp>

#include "ipclab/path_view.hpp"
#include "kit.hpp"

namespace ipclab::cli {

/// Exit codes shared by every command (see DESIGN.md, "The CLI").
enum exit_code : int {
  all_passed = 0,
  some_failed = 1,
  bad_usage = 2,
  did_not_compile = 3,
  internal_error = 4,  ///< the kit itself failed (a test run crashed, a file it needs is gone)
};

/// One chapter checked.
struct chapter_report {
  nlohmann::json results;   ///< Gradescope-shaped: chapter, score, max_score, execution_time, tests
  bool compiled = false;
  std::string compiler_output;
  std::string module;       ///< the module tested, or "none" when it did not compile
  exit_code code = some_failed;
};

/// Runs a test binary on @p module ("none": code that did not compile)
/// with the ipclab reporter and returns its report. Throws
/// std::runtime_error when the run ends without one (@p folder names it).
/// @p only: extra arguments choosing tests (see test_args()); empty: all.
nlohmann::json run_tests(const fs::path& binary, const std::string& module,
                         const std::string& folder, const std::vector<std::string>& only = {});

/// Compiles @p c from @p exercises and runs its tests in the sandbox. A
/// fill-in that does not compile still yields a report (every test failed,
/// naming the cause) and exit code did_not_compile.
/// @p jail: see build_module(). @p only: see run_tests().
chapter_report check_chapter(const kit& k, const chapter& c, const fs::path& exercises,
                             const path_view* jail = nullptr,
                             const std::vector<std::string>& only = {});

/// The `check` command's exit code over several chapters: the worst one.
exit_code combined(const std::vector<chapter_report>& reports);

}  // namespace ipclab::cli
