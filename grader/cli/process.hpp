// Running a child program and capturing what it prints.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace ipclab::cli {

/// What a finished program did.
struct run_result {
  int exit_code = -1;   ///< 0..255, or 128+signal when killed
  bool timed_out = false;
  std::string out;      ///< its stdout
  std::string err;      ///< its stderr (merged into out when asked)
};

/// Runs @p argv (argv[0] searched in PATH) with stdin from /dev/null,
/// capturing stdout and stderr; kills its process group after @p limit.
/// @p in_child, when given, runs in the child just before exec (for a jail);
/// it must not return when it fails.
run_result run_program(const std::vector<std::string>& argv,
                       std::chrono::seconds limit = std::chrono::seconds(600),
                       bool merge_stderr = false,
                       const std::function<void()>& in_child = {});

/// Runs @p argv attached to this terminal (for demos and pagers).
int run_interactive(const std::vector<std::string>& argv);

}  // namespace ipclab::cli
