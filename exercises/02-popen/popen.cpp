// Chapter 02 — popen. Fill in each function; the contract is popen.hpp.
// Check your work with:  ./ipclab check popen
#include "popen.hpp"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

FILE* lab_popen(const char* cmdstring, const char* type) {
  // TODO: accept only "r" and "w" (EINVAL otherwise); make a pipe and fork.
  // In the child: close the caller's end of every stream still open from an
  // earlier call (keep their pids in a table indexed by descriptor), dup2
  // your end onto stdout ("r") or stdin ("w"), then
  // execl("/bin/sh", "sh", "-c", cmdstring, (char*)0) or _exit(127).
  // In the caller, mark its end close-on-exec (FD_CLOEXEC).
  // In the parent: close the child's end, fdopen yours, remember the pid.
  (void)cmdstring, (void)type;
  errno = ENOSYS;
  return nullptr;
}

int lab_pclose(FILE* fp) {
  // TODO: look up fp's descriptor in your table (EINVAL if it is not
  // there), forget it, fclose the stream, then waitpid for the command,
  // retrying on EINTR, and return the status waitpid gave.
  (void)fp;
  errno = ENOSYS;
  return -1;
}

int lab_coproc_start(struct lab_coprocess* cp, const char* const argv[]) {
  // TODO: two pipes, one per direction; fork; in the child make stdin and
  // stdout the pipes' ends, close all four originals, execvp(argv[0], argv)
  // or _exit(127). In the parent close the ends the filter uses, mark its
  // own two ends close-on-exec (FD_CLOEXEC), and fill cp.
  (void)cp, (void)argv;
  errno = ENOSYS;
  return -1;
}

ssize_t lab_coproc_ask(struct lab_coprocess* cp, const char* request, char* answer, size_t size) {
  // TODO: write the request and a newline to cp->to_filter without letting
  // SIGPIPE kill you (EPIPE when the filter is gone), then read the answer
  // up to its newline from cp->from_filter.
  (void)cp, (void)request, (void)answer, (void)size;
  errno = ENOSYS;
  return -1;
}

int lab_coproc_stop(struct lab_coprocess* cp) {
  // TODO: close both of cp's descriptors, wait for the filter (retry on
  // EINTR) and return its status; mark cp as not running.
  (void)cp;
  errno = ENOSYS;
  return -1;
}
