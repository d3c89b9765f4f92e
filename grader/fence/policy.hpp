/// @file policy.hpp
/// @brief The fence around untrusted code: one policy value, applied by the
///        `ipclab-fence` program before it execs the target (an archiver, the
///        compiler, a chapter's test binary).
///
/// What the fence guarantees, and the ctest that proves each:
///
/// 1. Fail closed. Every step the policy asks for (each namespace, each
///    mount of the path view, each limit, the user and group, no new
///    privileges, the working folder) succeeds, or `ipclab-fence` exits
///    kRefused with "ipclab-fence: refused: <step>: <error>" and the target
///    never runs.                               (fence.refuses-failed-mount)
/// 2. A policy that hides or replaces folders asks for a mount namespace;
///    only a policy that names why a weaker fence was accepted (`weaker`)
///    may run without one, and its view is then not applied.
///                                          (fence.refuses-view-without-namespace)
/// 3. No privilege is gained behind the fence: PR_SET_NO_NEW_PRIVS is set;
///    with a user, the target runs with exactly that uid and gid, no
///    supplementary group and no capability.   (fence.drops-privileges)
/// 4. A path view shows hidden folders empty and read-only with only the
///    kept paths beneath them; scratch folders are fresh and private. A
///    system-only view hides every top-level folder but the system ones, so
///    a compiler reads the system, the kit's headers and its own staged
///    copy, and an #include of a classmate's file by absolute path fails,
///    wherever the class lies.               (grade.classmate-by-absolute-path)
/// 5. A PID namespace is only ever made with mount and IPC namespaces and
///    the scratch view: a test binary whose children get a new PID
///    namespace (isolation::enter()) is fenced.
///                               (NN-slug.solution-full-marks, machine.left-clean)
/// 6. `ipclab grade` runs without namespaces only when asked (--fence=weaker
///    or best), and then every report says the fence was weaker and why.
///                                            (grade.fence-without-namespaces)
/// 7. Unpacking runs fenced as the submission's own user with a file size
///    limit, after the archive's own listing showed it within the caps: a
///    zip bomb writes nothing.                               (grade.zip-bomb)
/// 8. The fence dies with the command that started it: ^C or SIGTERM to
///    `check` or `grade` kills every fenced program at once, and the fence
///    asks the kernel to kill it if its parent dies.
///           (check.interrupt-INT-leaves-nothing, check.interrupt-TERM-leaves-nothing,
///            grade.interrupt-INT-leaves-nothing, grade.interrupt-TERM-leaves-nothing)
/// 9. Nothing of the fence is linked into student modules (support/).
///                                             (fence.not-in-student-modules)
/// 10. A call signals only processes it started. Every call process enters
///    a Landlock domain scoped for signals (Linux 6.12 and later), so its
///    kill(), tgkill(), sigqueue() and pidfd_send_signal() of the runner,
///    the checker or any other process it did not start fail with EPERM,
///    whatever pid the student's code names; kill(-1) is refused by the
///    call's seccomp filter. This is what fences the ordinary-user fallback,
///    where the call shares its uid with the user's other processes. Where
///    the kernel has neither namespaces for the user nor Landlock's signal
///    scope, a fill-in can still signal another process of the same user by
///    pid: that fallback is not fenced for signals, and every report of
///    such a check or grade says so (check.cpp, signal_gap()).
///                                            (nonroot.hostile.kill-siblings)
/// 11. A call's setup that fails leaks no descriptor, and a call whose
///    observation fails is still swept: none of its processes is left
///    running.                          (harness.error-paths, and -no-namespaces)
/// 12. A stated limit, not a guarantee: in the ordinary-user fallback what a
///    call leaves (XSI objects, files in /tmp and /dev/shm, POSIX queues) is
///    reported, never removed, since the runner cannot tell the call's from
///    the user's others: the kernel records no creator of a semaphore set,
///    only the last sender and receiver of a message queue, and a segment's
///    creator pid may be one the call's processes no longer hold.
#pragma once

#include <sys/resource.h>
#include <sys/types.h>

#include <string>
#include <vector>

#include "fence/path_view.hpp"

namespace ipclab::fence {

/// The exit status of `ipclab-fence` when it refused to run the target.
inline constexpr int kRefused = 125;

/// Namespaces a policy asks for (a user namespace is added when not root,
/// mapped to the caller's own ids).
enum namespaces : unsigned {
  mount_ns = 1u << 0,
  ipc_ns = 1u << 1,
  pid_ns = 1u << 2,  ///< for the target's children: it becomes their init's parent
};

/// One resource limit (soft and hard).
struct limit {
  int resource;  ///< RLIMIT_CPU, RLIMIT_FSIZE...
  rlim_t value;
};

/// Everything the fence does, in one value.
struct policy {
  unsigned namespaces = 0;       ///< required namespaces (mount_ns | ipc_ns | pid_ns)
  path_view view;                ///< hidden, kept and scratch folders
  bool system_only = false;      ///< also hide every top-level folder but kSystemDirs
  uid_t uid = static_cast<uid_t>(-1);  ///< the user to become (-1: stay)
  gid_t gid = static_cast<gid_t>(-1);  ///< its group (-1: stay)
  std::vector<limit> limits;     ///< resource limits
  std::string workdir;           ///< folder to start in ("" stays)
  std::string weaker;            ///< why a weaker fence (no namespaces) was accepted; "" for none
};

/// The policy as `ipclab-fence` arguments (before "--" and the target).
std::vector<std::string> to_args(const policy& p);

/// The inverse of to_args(): reads @p args up to "--". Throws
/// std::invalid_argument naming a bad argument.
/// @param args  the arguments after the program name
/// @param[out] target  the index of the target's argv[0] in @p args
policy from_args(const std::vector<std::string>& args, std::size_t& target);

/// "" when @p p is coherent (invariant 2), else what is wrong with it.
std::string broken_rule(const policy& p);

}  // namespace ipclab::fence
