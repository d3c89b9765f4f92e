// `ipclab check`: compile a fill-in, run the prebuilt graded tests on it.
#pragma once

#include <sys/types.h>

#include <nlohmann/json.hpp>

#include "fence/policy.hpp"
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

/// How strong a fence a command asks for (--fence).
enum class fence_mode {
  strict,  ///< namespaces or refuse (grade's default)
  best,    ///< namespaces where the kernel allows them, else a weaker fence, said once (check's default)
  weaker,  ///< never namespaces
};

/// "strict", "best" or "weaker"; throws usage_error otherwise.
fence_mode parse_fence_mode(const std::string& text);

/// The fence one command's runs get, decided once.
struct fence_choice {
  bool namespaces = false;
  std::string weaker;  ///< why the fence is weaker than namespaces ("" when it is not)
};

/// Decides the fence for @p mode: tries once whether ipclab-fence can make
/// namespaces here. Throws fence_refused when @p mode is strict and it
/// cannot.
fence_choice choose_fence(fence_mode mode);

/// How check_chapter() fences what it runs and what it reports.
struct fencing {
  fence_choice choice{};             ///< namespaces, or a weaker fence and why
  std::vector<std::string> hidden{}; ///< folders the test runs must not see (grading)
  bool grading = false;              ///< compile in a system-only view, as @p id
  uid_t id = static_cast<uid_t>(-1); ///< the submission's user and group (root only; -1: stay)
  bool colour = false;               ///< compiler messages in colour (a terminal check only)
};

/// The policy a chapter's test binary runs under: with namespaces, new
/// mount, IPC and PID namespaces, a private /tmp and /dev/shm and the
/// folders of @p f hidden, @p binary and @p module kept.
fence::policy test_run_policy(const fencing& f, const fs::path& binary, const std::string& module);

/// One chapter checked.
struct chapter_report {
  nlohmann::json results;   ///< Gradescope-shaped: chapter, score, max_score, execution_time, tests
  bool compiled = false;
  std::string compiler_output;
  std::string module;       ///< the module tested, or "none" when it did not compile
  exit_code code = some_failed;
};

/// Runs a test binary on @p module ("none": code that did not compile)
/// behind the fence of @p f with the ipclab reporter and returns its
/// report. Throws std::runtime_error when the run ends without one
/// (@p folder names it), fence_refused when the fence refused.
/// @p only: extra arguments of the test runner: choosing tests (see
/// test_args()), giving tests more time (time_scale_args()); empty: all tests.
/// @p reporter: "ipclab", or "ipclab-part" for one run of several (see
/// ipclab/results.hpp).
nlohmann::json run_tests(const fs::path& binary, const std::string& module,
                         const std::string& folder, const fencing& f,
                         const std::vector<std::string>& only = {},
                         const std::string& reporter = "ipclab");

/// Compiles @p c from @p exercises and runs its tests behind the fence of
/// @p f. A fill-in that does not compile still yields a report (every test
/// failed, naming the cause) and exit code did_not_compile.
/// @p only: see run_tests().
chapter_report check_chapter(const kit& k, const chapter& c, const fs::path& exercises,
                             const fencing& f, const std::vector<std::string>& only = {});

/// check_chapter() with the tests in several runs at once, one per element
/// of @p shards (the arguments choosing its tests, see shard_args()), each
/// behind a fence of its own, their reports merged in the chapter's order;
/// one element: check_chapter(). Runs in shards need the namespaces'
/// fence (each run its own /tmp, IPC objects and processes): with a weaker
/// one, give one element only (throws std::logic_error otherwise).
chapter_report check_chapter(const kit& k, const chapter& c, const fs::path& exercises,
                             const fencing& f, const std::vector<std::vector<std::string>>& shards);

/// The `check` command's exit code over several chapters: the worst one.
exit_code combined(const std::vector<chapter_report>& reports);

}  // namespace ipclab::cli
