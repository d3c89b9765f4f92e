// Deadlock: who in a running call waits for whom, read from /proc, and when to stop it.
#pragma once

#include <sys/types.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <tuple>
#include <vector>

namespace ipclab::sandbox::deadlock {

/// How one thread of the call stands.
enum class stance {
  running,  ///< runnable, in the kernel on the way, or stopped: it may move
  timed,    ///< its wait ends by itself (a timeout, a sleep, a timer)
  outside,  ///< its wait can be ended from outside the call (the checker feeds or drains
            ///< that pipe), or it is a wait this file does not understand
  inside,   ///< only a process of the call could end its wait
};

/// One thread of the call and its wait.
struct waiter {
  pid_t pid = 0;
  pid_t tid = 0;
  std::string command;
  stance how = stance::running;
  std::string waits_on;       ///< e.g. "reads pipe:[4471] (fd 0)"
  std::string held_by;        ///< e.g. "write end: process 12 (fd 5)"; empty when anyone could
  std::vector<pid_t> wakers;  ///< the call's processes that could end it, when known
};

/// The wait-for picture of a call at one instant.
struct picture {
  std::vector<waiter> waiters;  ///< complete only when stuck()
  std::string timer;            ///< a timer that may fire (SIGALRM handler, POSIX timer), if any
  /// Every thread waits on something only the call could provide, and no timer is set.
  bool stuck() const;
  /// The wait cycle as a small text drawing (a fenced block, safe in Markdown).
  std::string drawing() const;
};

/// Reads the picture of the call rooted at @p call_pid. Stops looking (and
/// returns an incomplete picture) at the first thread that may still move.
picture look(pid_t call_pid);

/// Watches one call, a sample per tick of its watch loop.
class detector {
public:
  /// Takes a sample. True when the call was stuck at this sample and at the
  /// one before, and not one of its threads ran in between (CPU time and
  /// times scheduled unchanged); @p explanation then receives the words of
  /// diagnose_stuck() and the drawing. The call's processes are untouched.
  bool stuck(pid_t call_pid, std::string& explanation);

  /// How long the watch loop may stay quiet before the next sample: @p tick,
  /// or a short while when the last sample looked stuck (to confirm it soon).
  std::chrono::milliseconds next_look(std::chrono::milliseconds tick) const {
    return streak_ > 0 ? std::min(tick, kConfirm) : tick;
  }

private:
  static constexpr std::chrono::milliseconds kConfirm{50};
  using progress = std::vector<std::tuple<pid_t, long long, long long>>;
  progress last_;
  int streak_ = 0;
};

}  // namespace ipclab::sandbox::deadlock
