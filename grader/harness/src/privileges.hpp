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
/// Returns false, and the call must not run, when any of it did not hold.
bool drop_privileges() noexcept;

}  // namespace ipclab::sandbox::child_side
