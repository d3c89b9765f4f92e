/// @file process.hpp
/// @brief Forked peers that are always reaped, and ^C turned into an exception.
///
/// Every measurement runs between real processes made by fork(). A
/// peer_process owns one child: the child runs a function and leaves with
/// _exit (0 when the function returned, 1 when it threw), so it never runs
/// the parent's destructors (which remove the kernel objects); the parent's
/// destructor kills and reaps a child that was not joined. Children die with
/// their parent (PR_SET_PDEATHSIG), so nothing survives a killed benchmark.
#pragma once

#include <sys/resource.h>
#include <sys/types.h>

#include <cerrno>
#include <functional>
#include <stdexcept>

namespace ipclab::bench {

/// Thrown when SIGINT, SIGTERM or SIGHUP arrived: unwind, clean up, exit 130.
struct interrupted : std::runtime_error {
  interrupted() : std::runtime_error("interrupted") {}
};

/// Installs handlers for SIGINT, SIGTERM and SIGHUP that only set a flag,
/// without SA_RESTART, so a blocked call returns EINTR and the caller can
/// unwind; ignores SIGPIPE, so writing to a dead peer fails with EPIPE.
/// Call once, before the first fork.
void catch_interrupts();

/// Whether one of those signals arrived.
bool interrupt_pending() noexcept;

/// Throws interrupted if one of those signals arrived.
void throw_if_interrupted();

/// For a call that failed with @p err: returns when it should be retried
/// (EINTR without a pending interrupt); throws interrupted when one arrived.
/// Any other error number returns false: the caller reports it.
bool retry_after(int err);

/// One forked child running a function.
class peer_process {
public:
  /// Forks; the child runs @p body then _exit(0), or reports what it threw
  /// on stderr and _exit(1).
  explicit peer_process(const std::function<void()>& body);
  peer_process(const peer_process&) = delete;
  peer_process& operator=(const peer_process&) = delete;
  /// Kills (SIGKILL) and reaps the child unless join() already reaped it.
  ~peer_process();

  /// Waits for the child; throws std::runtime_error unless it exited with 0.
  /// @return the child's resource usage (user and system time), from wait4.
  rusage join();

private:
  pid_t pid_ = -1;
};

}  // namespace ipclab::bench
