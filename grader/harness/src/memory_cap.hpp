// A memory cgroup around one call, so a call and all the processes it starts
// share one memory limit and the kernel's OOM killer acts on them alone.
#pragma once

#include <string>

namespace ipclab::sandbox {

/// One call's memory cgroup (v1 `memory` controller or v2 `memory.max`).
///
/// Creating one needs root and a writable memory controller; where either is
/// missing (or under AddressSanitizer, whose shadow memory would count) the
/// cap does nothing and each process keeps only its RLIMIT_AS.
class memory_cap {
public:
  /// Creates the cgroup, limited to @p mib MiB (memory and tmpfs pages).
  explicit memory_cap(unsigned mib);
  /// Removes the cgroup: call it after every process in it has been reaped.
  ~memory_cap();
  memory_cap(const memory_cap&) = delete;
  memory_cap& operator=(const memory_cap&) = delete;

  /// The file the call process writes "0" to, to join; empty when no cap.
  const std::string& join_file() const noexcept { return procs_; }

  /// True when the kernel's OOM killer killed a process of this cgroup.
  bool oom_killed() const;

private:
  std::string dir_;    ///< the cgroup's folder, empty when no cap
  std::string procs_;  ///< dir_/cgroup.procs
  bool v2_ = false;
};

/// Moves the calling process into the cgroup whose cgroup.procs is @p file
/// (no-op when empty). For the call process, before it drops root.
void join_memory_cap(const std::string& file) noexcept;

}  // namespace ipclab::sandbox
