// Peer style: APUE-like C. run_pipeline makes all count-1 pipes up front,
// forks every child, and each child dup2()s its two ends then closes every
// pipe descriptor in the table (the classic "close them all in a loop");
// the parent closes them all once every child exists. TELL_WAIT keeps its
// two pipes in file-scope arrays as APUE 15.2 does, and each WAIT checks
// the byte it gets names the right partner. Valid under pipes.hpp: the
// children hold only their own stdin/stdout, every wait retries EINTR, the
// last child's raw status is returned, and failures clean up first.
#include "pipes.hpp"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static int pfd1[2] = {-1, -1};  // parent -> child
static int pfd2[2] = {-1, -1};  // child -> parent

static void close_all(int* fds, int n) {
  for (int i = 0; i < n; i++)
    if (fds[i] >= 0) close(fds[i]);
}

static int wait_one(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) return -1;
  return status;
}

int run_pipeline(const char* const* const commands[], int count, int in_fd, int out_fd) {
  if (commands == NULL || count < 1) {
    errno = EINVAL;
    return -1;
  }
  for (int i = 0; i < count; i++)
    if (commands[i] == NULL || commands[i][0] == NULL) {
      errno = EINVAL;
      return -1;
    }

  int npipe = count - 1;
  int* fds = static_cast<int*>(malloc(sizeof(int) * (2 * static_cast<size_t>(npipe) + 1)));
  pid_t* pids = static_cast<pid_t*>(malloc(sizeof(pid_t) * static_cast<size_t>(count)));
  if (fds == NULL || pids == NULL) {
    free(fds);
    free(pids);
    errno = ENOMEM;
    return -1;
  }
  for (int i = 0; i < 2 * npipe; i++) fds[i] = -1;

  int err = 0;
  for (int i = 0; i < npipe; i++)
    if (pipe(&fds[2 * i]) < 0) {
      err = errno;
      break;
    }

  int started = 0;
  for (int i = 0; err == 0 && i < count; i++) {
    pid_t pid = fork();
    if (pid < 0) {
      err = errno;
      break;
    }
    if (pid == 0) {
      int in = i == 0 ? in_fd : fds[2 * (i - 1)];
      int out = i == count - 1 ? out_fd : fds[2 * i + 1];
      if (in != STDIN_FILENO && dup2(in, STDIN_FILENO) < 0) _exit(127);
      if (out != STDOUT_FILENO && dup2(out, STDOUT_FILENO) < 0) _exit(127);
      for (int k = 0; k < 2 * npipe; k++)
        if (fds[k] > STDERR_FILENO) close(fds[k]);
      if (in_fd > STDERR_FILENO) close(in_fd);
      if (out_fd > STDERR_FILENO) close(out_fd);
      execvp(commands[i][0], const_cast<char* const*>(commands[i]));
      _exit(127);
    }
    pids[started++] = pid;
  }

  close_all(fds, 2 * npipe);
  free(fds);
  if (err != 0)
    for (int i = 0; i < started; i++) kill(pids[i], SIGKILL);
  int status = 0;
  for (int i = 0; i < started; i++) {
    int st = wait_one(pids[i]);
    if (i == count - 1) status = st;
  }
  free(pids);
  if (err != 0) {
    errno = err;
    return -1;
  }
  return status;
}

int TELL_WAIT(void) {
  close_all(pfd1, 2);
  close_all(pfd2, 2);
  pfd1[0] = pfd1[1] = pfd2[0] = pfd2[1] = -1;
  if (pipe(pfd1) < 0) {
    pfd1[0] = pfd1[1] = -1;
    return -1;
  }
  if (pipe(pfd2) < 0) {
    int saved = errno;
    close_all(pfd1, 2);
    pfd1[0] = pfd1[1] = pfd2[0] = pfd2[1] = -1;
    errno = saved;
    return -1;
  }
  return 0;
}

static int tell(int fd, char c) {
  if (fd < 0) {
    errno = EINVAL;
    return -1;
  }
  for (;;) {
    ssize_t n = write(fd, &c, 1);
    if (n == 1) return 0;
    if (n < 0 && errno != EINTR) return -1;
  }
}

static int await(int fd, char expected) {
  if (fd < 0) {
    errno = EINVAL;
    return -1;
  }
  char c;
  for (;;) {
    ssize_t n = read(fd, &c, 1);
    if (n == 1) break;
    if (n == 0) {
      errno = EPIPE;
      return -1;
    }
    if (errno != EINTR) return -1;
  }
  if (c != expected) {
    errno = EPROTO;
    return -1;
  }
  return 0;
}

int TELL_PARENT(pid_t) { return tell(pfd2[1], 'c'); }
int WAIT_PARENT(void) { return await(pfd1[0], 'p'); }
int TELL_CHILD(pid_t) { return tell(pfd1[1], 'p'); }
int WAIT_CHILD(void) { return await(pfd2[0], 'c'); }
