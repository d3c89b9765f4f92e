// The parent's half of limits::interrupt: watch /proc, signal at the moment.
#pragma once

#include <sys/types.h>

#include <chrono>

#include "ipclab/sandbox.hpp"

namespace ipclab::sandbox {

/// Delivers one interrupt_plan to the processes of one call. Ask next_wait()
/// on every turn of the watch loop: it looks at /proc, signals the planned
/// process once it is blocked in a planned system call, and says how long
/// the loop may then sleep (briefly while the moment is still to come).
class interrupter {
public:
  interrupter(const interrupt_plan& plan, pid_t call, bool& delivered)
      : plan_(plan), call_(call), delivered_(delivered) {}

  /// @p tick, or a short wait while the signal is still to be delivered.
  std::chrono::milliseconds next_wait(std::chrono::milliseconds tick);

private:
  bool in_planned_call(pid_t pid) const;

  const interrupt_plan& plan_;
  pid_t call_;
  bool& delivered_;
  int looks_ = 0;
};

}  // namespace ipclab::sandbox
