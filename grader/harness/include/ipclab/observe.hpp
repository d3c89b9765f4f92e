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

/// The threads (task ids) of @p pid.
std::vector<pid_t> threads(pid_t pid);

/// The open descriptors of @p pid, with their targets and access modes.
std::vector<sandbox::fd_entry> open_fds(pid_t pid);

/// What system call @p pid is blocked in: {number, first argument}, or
/// {-1, 0} when it runs or cannot be read.
std::pair<long, long> blocked_call(pid_t pid);

/// Up to @p len bytes of @p pid's memory at @p addr (process_vm_readv);
/// fewer (or none) where it is not mapped or not readable.
std::string memory(pid_t pid, unsigned long addr, std::size_t len);

/// Every XSI message queue, semaphore set and shared memory segment.
std::vector<sandbox::ipc_entry> ipc_objects();

/// Names in @p dir (not recursive) owned by @p owner, or by anyone when
/// @p owner is (uid_t)-1.
std::vector<std::string> entries_owned(const std::string& dir, uid_t owner);

/// Where POSIX message queues show as files (mqueue(7)); a queue "/name"
/// is listed as kQueueDir + "/name".
inline constexpr const char* kQueueDir = "/dev/mqueue";

/// The POSIX message queues of the caller's IPC namespace owned by
/// @p owner (anyone when (uid_t)-1), as kQueueDir + "/name", sorted. Read
/// through a mount of the mqueue file system that is attached nowhere
/// (fsmount), so nothing is mounted on the machine; where that is refused,
/// from /dev/mqueue if an mqueue file system is mounted there. When neither
/// works it says so once on stderr and returns nothing.
std::vector<std::string> message_queues(uid_t owner);

}  // namespace ipclab::observe
