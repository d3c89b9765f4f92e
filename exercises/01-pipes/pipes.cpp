// Chapter 01 — pipes. Fill in each function; the contract is pipes.hpp.
// Check your work with:  ./ipclab check pipes
#include "pipes.hpp"

#include <errno.h>
#include <sys/wait.h>
#include <unistd.h>

int run_pipeline(const char* const* const commands[], int count, int in_fd, int out_fd) {
  // TODO: validate the arguments (EINVAL); create count-1 pipes; fork one
  // child per command, dup2 its stdin/stdout, close every other pipe end,
  // execvp (or _exit(127)); close all ends in the parent; wait for every
  // child and return the last command's status.
  (void)commands, (void)count, (void)in_fd, (void)out_fd;
  errno = ENOSYS;
  return -1;
}

int TELL_WAIT(void) {
  // TODO: create two pipes, one for each direction.
  errno = ENOSYS;
  return -1;
}

int TELL_PARENT(pid_t pid) {
  // TODO: write one byte on the child-to-parent pipe.
  (void)pid;
  errno = ENOSYS;
  return -1;
}

int WAIT_PARENT(void) {
  // TODO: read one byte from the parent-to-child pipe.
  errno = ENOSYS;
  return -1;
}

int TELL_CHILD(pid_t pid) {
  // TODO: write one byte on the parent-to-child pipe.
  (void)pid;
  errno = ENOSYS;
  return -1;
}

int WAIT_CHILD(void) {
  // TODO: read one byte from the child-to-parent pipe.
  errno = ENOSYS;
  return -1;
}
