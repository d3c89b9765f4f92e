// Chapter 01 — pipes: the reference solution. The contract is pipes.hpp.
#include "pipes.hpp"

#include <errno.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <vector>

namespace {

bool valid(const char* const* const commands[], int count) {
  if (commands == nullptr || count < 1) return false;
  for (int i = 0; i < count; ++i)
    if (commands[i] == nullptr || commands[i][0] == nullptr) return false;
  return true;
}

void close_if_open(int fd) {
  if (fd >= 0) close(fd);
}

// Waits for every pid; returns the status of the last one.
int reap(const std::vector<pid_t>& pids) {
  int status = 0;
  for (pid_t pid : pids) {
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
    }
    status = st;
  }
  return status;
}

// In the child: wire stdin/stdout, drop every other end, become the command.
[[noreturn]] void become(const char* const* argv, int read_fd, int write_fd, int unused_fd,
                         int in_fd, int out_fd) {
  if (read_fd != STDIN_FILENO && dup2(read_fd, STDIN_FILENO) < 0) _exit(127);
  if (write_fd != STDOUT_FILENO && dup2(write_fd, STDOUT_FILENO) < 0) _exit(127);
  // Only fds 0 and 1 may hold pipe ends now: a stray write end would keep
  // some reader from ever seeing end-of-file.
  for (int fd : {read_fd, write_fd, unused_fd, in_fd, out_fd})
    if (fd > STDERR_FILENO) close(fd);
  execvp(argv[0], const_cast<char* const*>(argv));
  _exit(127);  // not found or not executable: the shell's convention
}

}  // namespace

int run_pipeline(const char* const* const commands[], int count, int in_fd, int out_fd) {
  if (!valid(commands, count)) {
    errno = EINVAL;
    return -1;
  }
  std::vector<pid_t> started;
  int read_fd = in_fd;  // what the next command reads; ours to close when i > 0
  for (int i = 0; i < count; ++i) {
    int p[2] = {-1, -1};
    bool last = i == count - 1;
    pid_t pid = -1;
    if ((last || pipe(p) == 0) && (pid = fork()) == 0)
      become(commands[i], read_fd, last ? out_fd : p[1], p[0], in_fd, out_fd);
    if (pid < 0) {  // pipe() or fork() failed: undo, then report
      int saved = errno;
      if (read_fd != in_fd) close(read_fd);
      close_if_open(p[0]);
      close_if_open(p[1]);
      for (pid_t s : started) kill(s, SIGTERM);
      reap(started);
      errno = saved;
      return -1;
    }
    started.push_back(pid);
    if (read_fd != in_fd) close(read_fd);  // the child has it now
    if (!last) {
      close(p[1]);  // only the child writes this pipe
      read_fd = p[0];
    }
  }
  return reap(started);
}

namespace {

int to_child[2] = {-1, -1};   // parent writes, child reads
int to_parent[2] = {-1, -1};  // child writes, parent reads

int send_byte(int fd, char c) {
  if (fd < 0) {
    errno = EINVAL;
    return -1;
  }
  ssize_t n;
  while ((n = write(fd, &c, 1)) < 0 && errno == EINTR) {
  }
  return n == 1 ? 0 : -1;
}

int wait_byte(int fd) {
  if (fd < 0) {
    errno = EINVAL;
    return -1;
  }
  char c;
  ssize_t n;
  while ((n = read(fd, &c, 1)) < 0 && errno == EINTR) {
  }
  if (n == 0) errno = EPIPE;  // the other side is gone without telling
  return n == 1 ? 0 : -1;
}

}  // namespace

int TELL_WAIT(void) {
  for (int* fd : {&to_child[0], &to_child[1], &to_parent[0], &to_parent[1]}) {
    close_if_open(*fd);
    *fd = -1;
  }
  if (pipe(to_child) < 0) return -1;
  if (pipe(to_parent) < 0) {
    int saved = errno;
    close(to_child[0]);
    close(to_child[1]);
    to_child[0] = to_child[1] = -1;
    errno = saved;
    return -1;
  }
  return 0;
}

int TELL_PARENT(pid_t) { return send_byte(to_parent[1], 'c'); }
int WAIT_PARENT(void) { return wait_byte(to_child[0]); }
int TELL_CHILD(pid_t) { return send_byte(to_child[1], 'p'); }
int WAIT_CHILD(void) { return wait_byte(to_parent[0]); }
