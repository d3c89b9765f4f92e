/// @file scratch.hpp
/// @brief The benchmark's work folder: one mkdtemp directory, removed at the end.
#pragma once

#include <string>

namespace ipclab::bench {

/// Owns the work folder (FIFOs, the record-lock file) for one run.
/// Only one exists at a time; scratch_path() names it.
class scratch_dir {
public:
  /// mkdtemp("$TMPDIR/ipclab-bench.XXXXXX"); throws std::system_error.
  scratch_dir();
  scratch_dir(const scratch_dir&) = delete;
  scratch_dir& operator=(const scratch_dir&) = delete;
  /// Removes the folder and whatever is left in it.
  ~scratch_dir();
};

/// The current work folder; throws std::logic_error when none exists.
const std::string& scratch_path();

/// A name for a per-run POSIX IPC object: "/ipclab-bench.<pid>.<what>".
std::string posix_ipc_name(const std::string& what);

}  // namespace ipclab::bench
