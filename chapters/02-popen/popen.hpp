/// @file popen.hpp
/// @brief Chapter 02 exercise contract: your own popen/pclose, and a coprocess.
///
/// Implement these in `exercises/02-popen/popen.cpp`. Every function follows
/// the POSIX convention: on failure it returns -1 (or a null pointer) and
/// sets errno. See APUE 3e sections 15.3 (popen and pclose) and 15.4
/// (coprocesses).
/// @see The notes: @ref ch02_popen
#pragma once

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

extern "C" {

/// Runs @p cmdstring with `/bin/sh -c` and connects the caller to it through
/// a pipe, as popen(3) does.
///
/// @param cmdstring a shell command line
/// @param type      exactly `"r"` (the returned stream reads the command's
///                  standard output) or exactly `"w"` (the returned stream
///                  writes the command's standard input); the command's other
///                  descriptors are inherited from the caller
/// @return a stdio stream on the caller's end of the pipe, or a null pointer
///         with errno.
/// @par Errors
/// - EINVAL: @p cmdstring or @p type is null, or @p type is anything but
///   `"r"` or `"w"` (nothing is started, nothing is opened).
/// - EMFILE, ENFILE, EAGAIN, ENOMEM: whatever pipe(), fork() or fdopen()
///   set, after closing what was opened.
///
/// The child keeps only its own end of the new pipe (as fd 0 or 1), and
/// closes the caller's end of every stream an earlier lab_popen() returned
/// and lab_pclose() has not closed yet: otherwise the command reading such an
/// earlier "w" stream would never see end-of-file while this child lives.
/// If the shell cannot be executed the child ends with `_exit(127)`; a
/// command the shell cannot find makes the shell exit with 127, which
/// lab_pclose() then reports. Remember the child's pid per descriptor, so
/// lab_pclose() knows which child to wait for. The caller's end is
/// close-on-exec (FD_CLOEXEC), so no command started later by other means
/// (a coprocess, say) holds it either.
/// @see \man{popen,3}, \man{pipe,2}, \man{fork,2}, \man{dup2,2}, \man{fdopen,3}
FILE* lab_popen(const char* cmdstring, const char* type);

/// Closes a stream returned by lab_popen() and waits for its command.
///
/// @param fp a stream lab_popen() returned and lab_pclose() has not closed
/// @return the command's termination status exactly as waitpid() reports it
///         (inspect it with WIFEXITED/WEXITSTATUS/WIFSIGNALED), or -1 with
///         errno.
/// @par Errors
/// - EINVAL: @p fp is null, or was not opened by lab_popen() (it is then
///   left open: it is not yours to close).
/// - as fclose() sets it (the child is not waited for then).
/// - as waitpid() sets it, except EINTR: an interrupted waitpid() is
///   retried, because the command is still to be collected.
///
/// Forgets @p fp's pid, so no later child closes a reused descriptor number
/// that belongs to someone else; no zombie is left.
/// @see \man{pclose,3}, \man{fclose,3}, \man{waitpid,2}
int lab_pclose(FILE* fp);

/// A filter run as a coprocess: the caller writes its standard input and
/// reads its standard output, through two pipes.
struct lab_coprocess {
  pid_t pid;        ///< the filter's process id; -1 when none is running
  int to_filter;    ///< write end of the pipe that is the filter's stdin
  int from_filter;  ///< read end of the pipe that is the filter's stdout
};

/// Starts the filter @p argv (looked up in PATH with execvp) as a coprocess.
///
/// @param[out] cp  filled in on success; untouched on failure
/// @param argv     the filter's argument vector, ending in a null pointer
/// @return 0, or -1 with errno.
/// @par Errors
/// - EINVAL: @p cp or @p argv is null, or `argv[0]` is null.
/// - EMFILE, ENFILE, EAGAIN: whatever pipe() or fork() set, after closing
///   every descriptor opened.
///
/// In the filter, stdin and stdout are the pipes' ends and no other pipe end
/// stays open; if execvp() fails it ends with `_exit(127)` (start still
/// succeeds: the failure shows in lab_coproc_ask() and lab_coproc_stop()).
/// The caller keeps only `to_filter` and `from_filter`, both close-on-exec
/// (FD_CLOEXEC): a command started later (another coprocess, a lab_popen()
/// command) must not hold them, or this filter would never see end-of-file.
/// @see \man{pipe,2}, \man{fork,2}, \man{dup2,2}, \man{execvp,3}
int lab_coproc_start(struct lab_coprocess* cp, const char* const argv[]);

/// Sends one request line to the filter and reads one answer line back.
///
/// Writes @p request followed by a newline to `to_filter`, then reads from
/// `from_filter` up to and including the next newline (a byte at a time is
/// fine: never read past the answer's newline).
/// @param cp           a running coprocess
/// @param request      the line to send, without its newline
/// @param[out] answer  receives the answer without its newline, null-terminated
/// @param size         the size of @p answer, at least 1
/// @return the length of the answer (without the newline), or -1 with errno.
/// @par Errors
/// - EINVAL: @p cp, @p request or @p answer is null, @p size is 0,
///   @p request contains a newline, or @p cp is not running (`pid` < 1).
/// - EPIPE: the filter is gone: the write failed with EPIPE, or end-of-file
///   came before the answer's newline. A write to a pipe with no reader
///   raises SIGPIPE: it must not kill the caller, and the caller's SIGPIPE
///   disposition, signal mask and pending signals are as they were when
///   this returns.
/// - EMSGSIZE: the answer did not fit in @p size - 1 bytes; the whole line
///   was still read, so the next ask gets the next answer.
/// - as write() or read() set it; EINTR is retried, never returned.
/// @see \man{write,2}, \man{read,2}, \man{pthread_sigmask,3}, \man{sigpending,2},
///      \man{sigtimedwait,2}
ssize_t lab_coproc_ask(struct lab_coprocess* cp, const char* request, char* answer, size_t size);

/// Shuts the coprocess down: closes both pipe ends (the filter sees
/// end-of-file on its stdin), then waits for it.
///
/// @param cp  a coprocess lab_coproc_start() started
/// @return the filter's termination status exactly as waitpid() reports it
///         (also when it died earlier, e.g. killed by a signal), or -1 with
///         errno.
/// @par Errors
/// - EINVAL: @p cp is null or not running.
/// - as waitpid() sets it; EINTR is retried, never returned.
///
/// Afterwards `cp->pid`, `cp->to_filter` and `cp->from_filter` are -1; no
/// descriptor and no zombie is left.
/// @see \man{close,2}, \man{waitpid,2}
int lab_coproc_stop(struct lab_coprocess* cp);

}  // extern "C"
