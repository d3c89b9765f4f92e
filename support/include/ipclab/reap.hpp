/// @file reap.hpp
/// @brief For the demos: wait for a child, surviving EINTR, or stop.
#pragma once

#include <sys/types.h>

namespace ipclab {

/// Waits for child @p pid (retrying when a signal interrupts the wait) and
/// returns its status as waitpid() reports it; stops the program with
/// die_errno("waitpid()") when the wait fails.
int wait_child(pid_t pid);

/// Waits for child @p pid and stops the program unless it exited with 0.
void reap_child(pid_t pid);

}  // namespace ipclab
