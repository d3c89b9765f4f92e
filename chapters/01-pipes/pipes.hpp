/// @file pipes.hpp
/// @brief Chapter 01 exercise contract: a pipeline runner and pipe-based TELL_WAIT.
///
/// Implement these in `exercises/01-pipes/pipes.cpp`. Every function
/// follows the POSIX convention: on failure it returns -1 and sets errno.
/// See APUE 3e section 15.2 (pipes) and 8.9 / 15.2 (TELL_WAIT with pipes).
#pragma once

#include <sys/types.h>

extern "C" {

/// Runs the pipeline `commands[0] | commands[1] | ... | commands[count-1]`,
/// as a shell would, and waits for all of it.
///
/// Each command is an argv vector ending in a null pointer; `commands[i][0]`
/// is looked up in PATH (execvp). The first command reads @p in_fd as its
/// standard input, the last writes @p out_fd as its standard output; each
/// other stdin/stdout is a pipe between neighbours. Standard error is
/// inherited.
///
/// @param commands  @p count argv vectors
/// @param count     the number of commands, at least 1
/// @param in_fd     what the first command reads (the caller keeps owning it)
/// @param out_fd    what the last command writes (the caller keeps owning it)
/// @return the termination status of the last command exactly as waitpid()
///         reports it (inspect it with WIFEXITED/WEXITSTATUS); a command
///         that cannot be executed must `_exit(127)` in its child, so its
///         status says "exited with 127".
///         -1 with errno on failure:
///         - EINVAL: @p commands is null, @p count < 1, or some
///           `commands[i]` is null or empty (`commands[i][0]` is null);
///         - whatever pipe() or fork() set (EMFILE, ENFILE, EAGAIN), after
///           closing what was opened and waiting for what was started.
///
/// Before it returns, every child has been waited for (no zombie is left),
/// every pipe end it created is closed in the caller, and each child holds
/// only its own stdin/stdout ends (so every reader sees end-of-file).
/// @p in_fd and @p out_fd are still open in the caller afterwards.
int run_pipeline(const char* const* const commands[], int count, int in_fd, int out_fd);

/// Prepares the two pipes that TELL_PARENT/WAIT_PARENT/TELL_CHILD/WAIT_CHILD
/// use; call it once before fork(). Calling it again first closes the pipes
/// of the earlier call.
/// @return 0, or -1 with errno set by pipe() (EMFILE, ENFILE).
int TELL_WAIT(void);

/// In the child: tells the parent @p pid that the child is done with its step.
/// @return 0; -1 with errno EINVAL if TELL_WAIT() was not called, or as
///         write() sets it (EPIPE when the parent has closed its ends).
int TELL_PARENT(pid_t pid);

/// In the child: waits until the parent calls TELL_CHILD().
/// @return 0; -1 with errno EINVAL if TELL_WAIT() was not called, EPIPE if
///         end-of-file came instead of the parent's message, or as read()
///         sets it.
int WAIT_PARENT(void);

/// In the parent: tells child @p pid that the parent is done with its step.
/// @return 0; -1 with errno as for TELL_PARENT().
int TELL_CHILD(pid_t pid);

/// In the parent: waits until the child calls TELL_PARENT().
/// @return 0; -1 with errno as for WAIT_PARENT().
int WAIT_CHILD(void);

}  // extern "C"
