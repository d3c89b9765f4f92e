/// @file pipes.hpp
/// @brief Chapter 01 exercise contract: a pipeline runner and pipe-based TELL_WAIT.
///
/// Implement these in `exercises/01-pipes/pipes.cpp`. Every function
/// follows the POSIX convention: on failure it returns -1 and sets errno.
/// See APUE 3e section 15.2 (pipes) and 8.9 / 15.2 (TELL_WAIT with pipes).
/// @see The notes: @ref ch01_pipes
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
///         status says "exited with 127". -1 with errno on failure.
/// @par Errors
/// - EINVAL: @p commands is null, @p count < 1, or some `commands[i]` is
///   null or empty (`commands[i][0]` is null); nothing is started.
/// - EMFILE, ENFILE, EAGAIN, ...: whatever pipe() or fork() set, after
///   closing what was opened and waiting for what was started.
///
/// Before it returns, every child has been waited for (no zombie is left),
/// every pipe end it created is closed in the caller, and each child holds
/// only its own stdin/stdout ends (so every reader sees end-of-file).
/// @p in_fd and @p out_fd are still open in the caller afterwards.
/// @see \man{pipe,2}, \man{fork,2}, \man{dup2,2}, \man{execvp,3}, \man{waitpid,2}
int run_pipeline(const char* const* const commands[], int count, int in_fd, int out_fd);

/// Prepares the two pipes that TELL_PARENT/WAIT_PARENT/TELL_CHILD/WAIT_CHILD
/// use; call it once before fork(). Calling it again first closes the pipes
/// of the earlier call.
/// @return 0, or -1 with errno.
/// @par Errors
/// - EMFILE, ENFILE: as pipe() sets them (no descriptor of the first pipe
///   stays open when the second one fails).
/// @see \man{pipe,2}
int TELL_WAIT(void);

/// In the child: tells the parent @p pid that the child is done with its step.
/// @param pid  the parent's process id (the pipes already say who listens)
/// @return 0, or -1 with errno.
/// @par Errors
/// - EINVAL: TELL_WAIT() was not called.
/// - whatever else write() sets; an interrupted write (EINTR) is retried.
///
/// There is no EPIPE: TELL_WAIT() cannot know which process will use which
/// end, so parent and child each keep all four, and the caller itself still
/// holds the read end it writes to. A TELL to a partner that has exited
/// succeeds (the byte waits in the pipe).
/// @see \man{write,2}
int TELL_PARENT(pid_t pid);

/// In the child: waits until the parent calls TELL_CHILD().
/// @return 0, or -1 with errno.
/// @par Errors
/// - EINVAL: TELL_WAIT() was not called.
/// - EPIPE: end-of-file came instead of the parent's message. As every
///   process keeps all four ends (see TELL_PARENT()), this happens only if
///   the caller itself closed its copy of the write end and the partner
///   is gone; a WAIT whose partner exited without telling blocks, so tell
///   before you exit.
/// - whatever else read() sets; an interrupted read (EINTR) is retried.
/// @see \man{read,2}
int WAIT_PARENT(void);

/// In the parent: tells child @p pid that the parent is done with its step.
/// @param pid  the child's process id (the pipes already say who listens)
/// @return 0, or -1 with errno.
/// @par Errors
/// As for TELL_PARENT(), with the child's ends in place of the parent's (no
/// EPIPE either: a TELL to a child that has exited succeeds).
/// @see \man{write,2}
int TELL_CHILD(pid_t pid);

/// In the parent: waits until the child calls TELL_PARENT().
/// @return 0, or -1 with errno.
/// @par Errors
/// As for WAIT_PARENT(), with the child's ends in place of the parent's.
/// @see \man{read,2}
int WAIT_CHILD(void);

}  // extern "C"
