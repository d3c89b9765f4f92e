/// @file children.hpp
/// @brief Inside a call: wait for a child the test forked and say how it ended.
#pragma once

#include <sys/types.h>

#include <string>

namespace ipclab::children {

/// Waits for the child @p pid; how it ended, in words ("exited with 0",
/// "killed by SIGKILL (Killed)"), or "not a child" when waitpid() fails.
std::string ended(pid_t pid);

/// Waits for the child @p pid; its exit code, or -1 when it did not exit
/// (killed by a signal) or is not a child.
int reap(pid_t pid);

}  // namespace ipclab::children
