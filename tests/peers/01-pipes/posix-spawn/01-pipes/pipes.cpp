// Peer style: modern POSIX. run_pipeline creates every pipe with
// pipe2(O_CLOEXEC) and starts each command with posix_spawnp(), whose file
// actions dup2() the command's ends onto 0 and 1 (dup2 clears close-on-exec
// on the copy) and close the caller's in_fd/out_fd; every other pipe end
// vanishes at exec. glibc's spawn child _exit(127)s when the exec fails and
// posix_spawnp() then reports the error after reaping it: the status of
// such a command is therefore the "exited with 127" the contract asks for.
// TELL_WAIT keeps its four descriptors in one struct instead of globals.
// Valid under pipes.hpp: same observable descriptors, statuses and errors.
#include "pipes.hpp"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <vector>

extern char** environ;

namespace {

bool well_formed(const char* const* const commands[], int count) {
  if (commands == nullptr || count < 1) return false;
  for (int i = 0; i < count; ++i)
    if (commands[i] == nullptr || commands[i][0] == nullptr) return false;
  return true;
}

// Starts one command with stdin = in, stdout = out. Returns its pid, 0 when
// it could not be executed (its child already exited with 127), -1 on error.
pid_t spawn(const char* const* argv, int in, int out, int in_fd, int out_fd) {
  posix_spawn_file_actions_t fa;
  int err = posix_spawn_file_actions_init(&fa);
  if (err != 0) {
    errno = err;
    return -1;
  }
  if (in != STDIN_FILENO) posix_spawn_file_actions_adddup2(&fa, in, STDIN_FILENO);
  if (out != STDOUT_FILENO) posix_spawn_file_actions_adddup2(&fa, out, STDOUT_FILENO);
  if (in_fd > STDERR_FILENO) posix_spawn_file_actions_addclose(&fa, in_fd);
  if (out_fd > STDERR_FILENO && out_fd != in_fd) posix_spawn_file_actions_addclose(&fa, out_fd);
  pid_t pid = -1;
  err = posix_spawnp(&pid, argv[0], &fa, nullptr, const_cast<char* const*>(argv), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (err == 0) return pid;
  if (err == ENOENT || err == EACCES || err == ENOEXEC || err == ENOTDIR || err == ELOOP ||
      err == ENAMETOOLONG || err == ETXTBSY || err == EISDIR)
    return 0;
  errno = err;
  return -1;
}

int reap(pid_t pid) {
  int st = 0;
  while (waitpid(pid, &st, 0) < 0)
    if (errno != EINTR) return -1;
  return st;
}

}  // namespace

int run_pipeline(const char* const* const commands[], int count, int in_fd, int out_fd) {
  if (!well_formed(commands, count)) {
    errno = EINVAL;
    return -1;
  }
  std::vector<int> ends(2 * static_cast<size_t>(count - 1), -1);
  int err = 0;
  for (int i = 0; i + 1 < count && err == 0; ++i)
    if (pipe2(&ends[2 * static_cast<size_t>(i)], O_CLOEXEC) < 0) err = errno;

  std::vector<pid_t> pids;
  pid_t last = 0;  // 0: the last command could not be executed
  for (int i = 0; i < count && err == 0; ++i) {
    int in = i == 0 ? in_fd : ends[2 * static_cast<size_t>(i - 1)];
    int out = i == count - 1 ? out_fd : ends[2 * static_cast<size_t>(i) + 1];
    pid_t pid = spawn(commands[i], in, out, in_fd, out_fd);
    if (pid < 0) err = errno;
    else if (pid > 0) pids.push_back(pid);
    if (i == count - 1) last = pid;
  }
  for (int fd : ends)
    if (fd >= 0) close(fd);
  if (err != 0)
    for (pid_t p : pids) kill(p, SIGKILL);
  int last_status = 127 << 8;  // what waitpid() said of glibc's failed spawn child
  for (pid_t p : pids) {
    int st = reap(p);
    if (p == last) last_status = st;
  }
  if (err != 0) {
    errno = err;
    return -1;
  }
  return last_status;
}

namespace {

struct tell_wait_pipes {
  int down[2] = {-1, -1};  // parent writes, child reads
  int up[2] = {-1, -1};    // child writes, parent reads

  void close_all() {
    for (int* fd : {&down[0], &down[1], &up[0], &up[1]}) {
      if (*fd >= 0) close(*fd);
      *fd = -1;
    }
  }
} tw;

int put_byte(int fd) {
  if (fd < 0) {
    errno = EINVAL;
    return -1;
  }
  const char b = 'x';
  ssize_t n;
  do n = write(fd, &b, 1);
  while (n < 0 && errno == EINTR);
  return n == 1 ? 0 : -1;
}

int get_byte(int fd) {
  if (fd < 0) {
    errno = EINVAL;
    return -1;
  }
  char b;
  ssize_t n;
  do n = read(fd, &b, 1);
  while (n < 0 && errno == EINTR);
  if (n == 0) errno = EPIPE;
  return n == 1 ? 0 : -1;
}

}  // namespace

int TELL_WAIT(void) {
  tw.close_all();
  int down[2], up[2];
  if (pipe(down) < 0) return -1;
  if (pipe(up) < 0) {
    int saved = errno;
    close(down[0]);
    close(down[1]);
    errno = saved;
    return -1;
  }
  tw.down[0] = down[0];
  tw.down[1] = down[1];
  tw.up[0] = up[0];
  tw.up[1] = up[1];
  return 0;
}

int TELL_PARENT(pid_t) { return put_byte(tw.up[1]); }
int WAIT_PARENT(void) { return get_byte(tw.down[0]); }
int TELL_CHILD(pid_t) { return put_byte(tw.down[1]); }
int WAIT_CHILD(void) { return get_byte(tw.up[0]); }
