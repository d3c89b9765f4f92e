// A solution of chapter 01 written apart from solutions/01-pipes (another plan: every
// pipe made first), for `grade.similarity`: it must not be reported as a copy.
#include "pipes.hpp"

#include <errno.h>
#include <sys/wait.h>
#include <unistd.h>

#include <vector>

static int chan[2][2] = {{-1, -1}, {-1, -1}};

static void shut(std::vector<int>& ends) {
  for (int e : ends)
    if (e >= 0) close(e);
  ends.clear();
}

int run_pipeline(const char* const* const commands[], int count, int in_fd, int out_fd) {
  if (!commands || count <= 0) {
    errno = EINVAL;
    return -1;
  }
  for (int k = 0; k < count; k++)
    if (!commands[k] || !commands[k][0]) {
      errno = EINVAL;
      return -1;
    }
  std::vector<int> ends;
  for (int k = 0; k + 1 < count; k++) {
    int fds[2];
    if (pipe(fds) != 0) {
      int e = errno;
      shut(ends);
      errno = e;
      return -1;
    }
    ends.push_back(fds[0]);
    ends.push_back(fds[1]);
  }
  std::vector<pid_t> kids;
  for (int k = 0; k < count; k++) {
    pid_t child = fork();
    if (child == 0) {
      int src = k == 0 ? in_fd : ends[2 * (k - 1)];
      int dst = k == count - 1 ? out_fd : ends[2 * k + 1];
      dup2(src, 0);
      dup2(dst, 1);
      for (int e : ends) close(e);
      execvp(commands[k][0], (char* const*)commands[k]);
      _exit(127);
    }
    if (child > 0) kids.push_back(child);
  }
  shut(ends);
  int last = 0;
  for (size_t k = 0; k < kids.size(); k++) {
    int st;
    while (waitpid(kids[k], &st, 0) == -1) {
      if (errno != EINTR) break;
    }
    last = st;
  }
  return last;
}

int TELL_WAIT(void) {
  for (auto& c : chan)
    for (int& e : c) {
      if (e >= 0) close(e);
      e = -1;
    }
  if (pipe(chan[0]) == -1) return -1;
  if (pipe(chan[1]) == -1) return -1;
  return 0;
}

static int put(int fd) {
  if (fd < 0) { errno = EINVAL; return -1; }
  char b = 'x';
  return write(fd, &b, 1) == 1 ? 0 : -1;
}

static int get(int fd) {
  if (fd < 0) { errno = EINVAL; return -1; }
  char b;
  ssize_t got = read(fd, &b, 1);
  if (got == 0) errno = EPIPE;
  return got == 1 ? 0 : -1;
}

int TELL_PARENT(pid_t) { return put(chan[1][1]); }
int WAIT_PARENT(void) { return get(chan[0][0]); }
int TELL_CHILD(pid_t) { return put(chan[0][1]); }
int WAIT_CHILD(void) { return get(chan[1][0]); }
