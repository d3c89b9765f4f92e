/// @file asleep.hpp
/// @brief Inside a call: wait until processes of the call are asleep, to
///        force an interleaving instead of hoping for it.
///
/// A test that needs "these processes are all waiting now" (several waiters
/// on one condition, a producer parked while another one runs) waits with
/// these until /proc shows it, then acts. Use them only on the call's own
/// children.
#pragma once

#include <sys/types.h>

#include <vector>

namespace ipclab::asleep {

/// True when @p pid sleeps in a system call that only another process can
/// end (a futex, semop, read or recvmsg wait), not in a timed sleep.
bool now(pid_t pid);

/// Waits until every process of @p pids is asleep, seen so in two passes in
/// a row (true), or, for code that never sleeps in the kernel (a spinning
/// wait), until 3 s have passed (false: the caller goes on unforced).
bool wait_all(const std::vector<pid_t>& pids);

/// Waits until every child in @p pids has ended (it is reaped) or all that
/// remain are asleep, seen so in two passes in a row, so that nobody is
/// left to wake them. Returns those still asleep.
std::vector<pid_t> settle(std::vector<pid_t> pids);

}  // namespace ipclab::asleep
