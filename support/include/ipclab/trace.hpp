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

/// When tracing: the descriptor table of this process after @p step (a
/// call or an event: "pipe()", "the child closed its write end"), drawn as
/// a teacher would: each descriptor the program opened, the pipe, FIFO,
/// socket or file it reaches, which end of a pipe it is (read/write), and
/// which descriptor of which process of our process group holds the other
/// end, or what its absence means (end-of-file, SIGPIPE). Descriptors the
/// program inherited and still holds unchanged (0, 1, 2, a caller's stray
/// fd 10) are left out, listed on one line.
void trace_fds(std::string_view step);

/// When tracing: every message queue, semaphore set and shared memory
/// segment of the machine after @p step, one line each with its key, id,
/// permissions and what it holds (as `ipcs` shows them).
void trace_ipc(std::string_view step);

}  // namespace ipclab
