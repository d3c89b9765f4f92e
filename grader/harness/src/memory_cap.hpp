// A memory cgroup around a test run's calls, so a call and all the
// processes it starts share one memory limit and the kernel's OOM killer acts
// on them alone.
#pragma once

#include <string>

namespace ipclab::sandbox {

/// A memory cgroup (v1 `memory` controller or v2 `memory.max`) that the
/// calls of one test run join, one after the other; the runner stays out.
///
/// Making one needs root and a writable memory controller; where either is
/// missing (or under AddressSanitizer, whose shadow memory would count) the
/// cap is empty and does nothing: each process keeps only its RLIMIT_AS.
/// A plain value: copies name the same cgroup, and remove() ends it.
class memory_cap {
public:
  memory_cap() = default;  ///< no cap

  /// Makes a cgroup limited to @p mib MiB (memory and tmpfs pages), or an
  /// empty cap.
  static memory_cap make(unsigned mib);

  /// Removes the cgroup; every process in it must have ended.
  void remove() noexcept;

  /// The file a call process writes "0" to, to join; empty when no cap.
  const std::string& join_file() const noexcept { return procs_; }

  /// How many processes the kernel's OOM killer has killed in the cgroup.
  long oom_kills() const;

private:
  std::string dir_;    ///< the cgroup's folder, empty when no cap
  std::string procs_;  ///< dir_/cgroup.procs
  bool v2_ = false;
};

/// Moves the calling process into the cgroup whose cgroup.procs is @p file
/// (no-op when empty). For the call process, before it drops root.
void join_memory_cap(const std::string& file) noexcept;

}  // namespace ipclab::sandbox
