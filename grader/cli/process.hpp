// Running a child program and capturing what it prints.
#pragma once

#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include "fence/policy.hpp"

namespace ipclab::cli {

/// What a finished program did.
struct run_result {
  int exit_code = -1;   ///< 0..255, or 128+signal when killed
  bool timed_out = false;
  std::string out;      ///< its stdout
  std::string err;      ///< its stderr (merged into out when asked)
};

/// The fence refused to run a program (see fence/policy.hpp, invariant 1):
/// what() names the step that failed.
struct fence_refused : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Runs @p argv (argv[0] searched in PATH) with stdin from /dev/null,
/// capturing stdout and stderr, in a process group of its own that is
/// killed after @p limit, and at once when this process gets SIGINT,
/// SIGTERM or SIGHUP (which then ends it as that signal would). Spawned
/// with posix_spawn: safe from any thread. With @p fence, the program runs
/// behind it (through `ipclab-fence`); throws fence_refused when the fence
/// could not be built.
run_result run_program(const std::vector<std::string>& argv,
                       std::chrono::seconds limit = std::chrono::seconds(600),
                       bool merge_stderr = false, const fence::policy* fence = nullptr);

/// Runs @p argv attached to this terminal (for demos and pagers).
int run_interactive(const std::vector<std::string>& argv);

}  // namespace ipclab::cli
