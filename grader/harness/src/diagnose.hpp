// Why a call is stuck: who waits on what, read from a frozen process tree.
#pragma once

#include <sys/types.h>

#include <string>

namespace ipclab::sandbox {

/// Explains, in a student's terms, what each process under @p root is
/// blocked on: a pipe whose write end is still open somewhere, a full pipe
/// nobody reads, a child never reaped, an XSI wait... Read from the live
/// tree: blocked processes stay where they are while it looks.
std::string diagnose_stuck(pid_t root);

}  // namespace ipclab::sandbox
