// What the call process gives up before it loads the student's module.
#pragma once

namespace ipclab::sandbox::child_side {

/// Empties the capability bounding set and locks root out of regaining
/// capabilities (securebits), where the process may (it holds CAP_SETPCAP:
/// root, or the run's user namespace); otherwise does nothing. Call before
/// changing user, while the capability is still there.
void drop_bounding_set() noexcept;

/// Leaves the process with no capability at all (effective, permitted,
/// inheritable, ambient), sets no_new_privs (no exec may give any back,
/// setuid or file capabilities alike), and installs a filter under which
/// kill() and tgkill() of every process at once (pid -1) fail with EPERM:
/// without a PID namespace that would reach every process of the user.
/// Then confines the process's signals (confine_signals()).
/// Returns false, and the call must not run, when any of it did not hold.
bool drop_privileges() noexcept;

/// Where the kernel has Landlock's signal scope (Linux 6.12, ABI 6), puts
/// the process in a Landlock domain in which it, and every process it
/// starts, may signal only processes of that domain: not the runner, not
/// any process the call did not start, whatever its pid and user. Needs
/// no_new_privs. Returns true when confined, or when the kernel lacks the
/// scope (then only kill(-1) is refused: see grader/fence/policy.hpp);
/// false when the kernel has it and the confinement failed.
bool confine_signals() noexcept;

}  // namespace ipclab::sandbox::child_side
