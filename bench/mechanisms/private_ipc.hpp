/// @file private_ipc.hpp
/// @brief The benchmark's own IPC namespace, so nothing it makes can outlive it.
#pragma once

#include <string>

namespace ipclab::bench {

/// Moves this process (and all it will fork) into a new IPC namespace and a
/// mount namespace with its own /tmp and /dev/shm: XSI objects, POSIX queues
/// and semaphores, FIFOs and files made there vanish with the last process,
/// even after a SIGKILL. The message-queue limits (msgmax, msgmnb,
/// msgsize_max, msg_max) are copied from the machine's where the kernel
/// allows, so the figures match. @p keep, when set, is a folder under /tmp
/// to leave visible (where a plot is written).
/// @return false, with nothing changed, where the kernel refuses the
///         namespaces; the run then removes its objects itself, as it
///         always does, but a SIGKILL may leave them behind.
bool enter_private_ipc(const std::string& keep);

}  // namespace ipclab::bench
