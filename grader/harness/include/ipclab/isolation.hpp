/// @file isolation.hpp
/// @brief The per-run fence around student code: namespaces, or a fallback.
///
/// enter() puts the whole test run in new PID, IPC and mount namespaces (and
/// a user namespace when not root), with a private /tmp and /dev/shm, so
/// every process and IPC object of the run dies with it. Where the kernel
/// refuses, it says so once on stderr and the run falls back to killing
/// each call's process tree (the runner is a child subreaper: every process
/// below it is a call's, and no other is ever signalled) and, as root,
/// removing the IPC objects and files the call's own user created.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "ipclab/observe.hpp"
#include "ipclab/sandbox.hpp"

namespace ipclab::isolation {

/// The folders a call may leave files in; private tmpfs mounts in a run
/// with namespaces.
inline constexpr const char* kScratchDirs[] = {"/tmp", "/dev/shm"};

/// Enters the namespaces (or the fallback). Returns in the process that runs
/// the tests; the process that called it waits and exits with its status.
void enter();

/// True when the run has its own PID, IPC and mount namespaces.
bool private_namespaces() noexcept;

/// The cgroup.procs file of the run's memory cgroup, which each call process
/// joins so it and its children share one limit; empty when there is none
/// (not root, no writable memory controller, or under ASan).
const std::string& memory_cgroup() noexcept;

/// How many processes the kernel's OOM killer has killed in the run's
/// memory cgroup so far (0 when there is none).
long memory_oom_kills();

/// The user that calls run as: a user of this run alone when the runner is
/// root, otherwise the runner's own.
uid_t sandbox_uid() noexcept;

/// What exists before a call, to tell what the call added.
struct snapshot {
  std::vector<sandbox::ipc_entry> ipc;
  std::vector<std::string> files;
};

/// The IPC objects, the files in /tmp and /dev/shm and the POSIX message
/// queues a call could leave.
snapshot take();

/// What @p after holds that @p before did not.
snapshot added(const snapshot& before, const snapshot& after);

/// The processes of the running call: every descendant of the runner (the
/// call process, its descendants, and orphans the runner adopted as init of
/// the run or as child subreaper); never the runner, never a process the
/// call did not start.
std::vector<observe::process> call_processes();

/// Kills every process of the call rooted at @p call_pid (and anything that
/// escaped it), reaps them, and removes the IPC objects and files in
/// @p left where they can only be the call's (private namespaces, or a run
/// as root whose calls have a user of their own); an ordinary user's
/// fallback removes none. Returns the wait status of @p call_pid (or -1 if
/// already reaped).
int sweep(pid_t call_pid, const snapshot& left);

}  // namespace ipclab::isolation
