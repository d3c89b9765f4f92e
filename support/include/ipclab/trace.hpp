/// @file trace.hpp
/// @brief Narration for the demos, and `--trace` views of kernel state.
///
/// `ipclab demo CH --trace` sets IPCLAB_TRACE=1; then trace_fds() prints the
/// calling process's descriptor table and trace_ipc() the XSI IPC objects,
/// so a student sees what each step changed. Without it both are silent.
#pragma once

#include <string_view>

namespace ipclab {

/// Prints one narrated step of a demo ("[pid] text"), flushed at once.
void narrate(std::string_view text);

/// True when the demo runs under `ipclab demo --trace`.
bool tracing() noexcept;

/// When tracing: the descriptor table of this process after @p step.
void trace_fds(std::string_view step);

/// When tracing: message queues, semaphore sets and shared memory segments.
void trace_ipc(std::string_view step);

}  // namespace ipclab
