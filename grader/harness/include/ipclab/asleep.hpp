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

#include <chrono>
#include <initializer_list>
#include <string>
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

/// Where a child stands once until_in() stops waiting for it.
enum class reached {
  call,       ///< it sleeps in one of the awaited system calls
  ended,      ///< it has ended (it is not reaped)
  elsewhere,  ///< it sleeps in another wait, without running, for kParked
};

/// How long a child must sleep in another wait, not running at all, before
/// until_in() gives up on it.
inline constexpr int kParkedMs = 50;

/// Tells, look after look, whether one child stays parked in a wait that
/// only another process can end.
class stillness {
 public:
  /// True once @p pid, at this look and every look of the last kParkedMs,
  /// sleeps in the same wait that only another process can end (now()
  /// true) without having been scheduled once in between. Call it in a
  /// loop that does not sleep; a timed sleep (nanosleep) is never parked.
  bool parked(pid_t pid);

 private:
  std::string at_;
  std::chrono::steady_clock::time_point since_{};
};

/// Waits, without sleeping, until the child @p pid sleeps in one of
/// @p calls (system call numbers; a timed sleep such as SYS_nanosleep
/// counts when listed), or has ended, or sleeps in another wait
/// that only another process can end (now() true) for kParkedMs without
/// being scheduled once: a child that blocked somewhere else (a read of a
/// pipe nobody writes) never reaches the awaited call while its caller only
/// watches, so a test that waits for it ends at once instead of at its
/// time limit. Use it where no process but the caller would end such a wait.
/// A child sleeping in an unlisted timed sleep (nanosleep) is never parked:
/// it looks again later, so it is waited for until it reaches a call or ends.
reached until_in(pid_t pid, std::initializer_list<long> calls);

/// The name, for a message, of the system call @p nr a child sleeps in
/// ("read()", "semop()"), or "system call N" for one this list lacks.
std::string call_name(long nr);

}  // namespace ipclab::asleep
