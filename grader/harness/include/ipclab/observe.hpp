/// @file observe.hpp
/// @brief Read, from outside, what processes hold: /proc and /proc/sysvipc.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "ipclab/sandbox.hpp"

namespace ipclab::observe {

/// One line of /proc/PID/stat, and the process's own memory from statm.
struct process {
  pid_t pid;
  pid_t ppid;
  pid_t pgid;
  char state;
  std::string command;
  long own_pages = 0;  ///< resident pages not backed by a file or shared memory (statm)
};

/// Every process visible in /proc.
std::vector<process> processes();

/// How many tasks (threads, as RLIMIT_NPROC counts them) the processes
/// whose real user is @p uid hold, as far as this PID namespace shows them.
long tasks_of(uid_t uid);

/// @p roots and every process of @p all below them (by parent links),
/// each once, @p roots first.
std::vector<process> with_descendants(std::vector<process> roots, const std::vector<process>& all);

/// @p root and every process below it (by parent links), @p root first.
std::vector<process> tree(pid_t root);

/// The open descriptors of @p pid, with their targets and access modes.
std::vector<sandbox::fd_entry> open_fds(pid_t pid);

/// What system call @p pid is blocked in: {number, first argument}, or
/// {-1, 0} when it runs or cannot be read.
std::pair<long, long> blocked_call(pid_t pid);

/// Every XSI message queue, semaphore set and shared memory segment.
std::vector<sandbox::ipc_entry> ipc_objects();

/// Names in @p dir (not recursive) owned by @p owner, or by anyone when
/// @p owner is (uid_t)-1.
std::vector<std::string> entries_owned(const std::string& dir, uid_t owner);

}  // namespace ipclab::observe
