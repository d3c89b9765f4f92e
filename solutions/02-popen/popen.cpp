// Chapter 02 — popen: the reference solution. The contract is popen.hpp.
#include "popen.hpp"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <string>
#include <vector>

namespace {

// children[fd] is the pid of the command at the other end of stream fd, or 0.
std::vector<pid_t> children;

int wait_status(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) return -1;
  return status;
}

void close_pair(int fds[2]) {
  close(fds[0]);
  close(fds[1]);
}

}  // namespace

FILE* lab_popen(const char* cmdstring, const char* type) {
  if (cmdstring == nullptr || type == nullptr || (strcmp(type, "r") != 0 && strcmp(type, "w") != 0)) {
    errno = EINVAL;
    return nullptr;
  }
  bool reading = type[0] == 'r';
  if (children.empty()) children.resize(static_cast<size_t>(sysconf(_SC_OPEN_MAX)), 0);

  int fds[2];
  if (pipe(fds) < 0) return nullptr;
  int mine = reading ? fds[0] : fds[1];
  int theirs = reading ? fds[1] : fds[0];
  int their_std = reading ? STDOUT_FILENO : STDIN_FILENO;
  // No command started later (a coprocess, say) may hold our end.
  fcntl(mine, F_SETFD, FD_CLOEXEC);

  pid_t pid = fork();
  if (pid < 0) {
    int saved = errno;
    close_pair(fds);
    errno = saved;
    return nullptr;
  }
  if (pid == 0) {
    // Earlier streams' ends belong to the caller: holding one would keep
    // that command's reader from ever seeing end-of-file.
    for (size_t fd = 0; fd < children.size(); ++fd)
      if (children[fd] > 0) close(static_cast<int>(fd));
    close(mine);
    if (theirs != their_std) {
      if (dup2(theirs, their_std) < 0) _exit(127);
      close(theirs);
    }
    execl("/bin/sh", "sh", "-c", cmdstring, static_cast<char*>(nullptr));
    _exit(127);
  }

  close(theirs);
  FILE* fp = fdopen(mine, type);
  if (fp == nullptr) {  // undo: the command sees end-of-file or SIGPIPE
    int saved = errno;
    close(mine);
    wait_status(pid);
    errno = saved;
    return nullptr;
  }
  children[static_cast<size_t>(mine)] = pid;
  return fp;
}

int lab_pclose(FILE* fp) {
  int fd = fp == nullptr ? -1 : fileno(fp);
  if (fd < 0 || static_cast<size_t>(fd) >= children.size() || children[static_cast<size_t>(fd)] <= 0) {
    errno = EINVAL;
    return -1;
  }
  pid_t pid = children[static_cast<size_t>(fd)];
  children[static_cast<size_t>(fd)] = 0;
  if (fclose(fp) == EOF) return -1;
  return wait_status(pid);
}

namespace {

// Writes all of @p data with SIGPIPE blocked; a SIGPIPE this write raised is
// consumed before the old mask returns, so it never reaches the caller.
ssize_t write_no_sigpipe(int fd, const std::string& data) {
  sigset_t pipe_only, old, pending;
  sigemptyset(&pipe_only);
  sigaddset(&pipe_only, SIGPIPE);
  sigpending(&pending);
  bool was_pending = sigismember(&pending, SIGPIPE) == 1;
  pthread_sigmask(SIG_BLOCK, &pipe_only, &old);

  size_t done = 0;
  ssize_t n = 0;
  while (done < data.size()) {
    n = write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    done += static_cast<size_t>(n);
  }
  int saved = errno;
  if (n < 0 && saved == EPIPE && !was_pending) {
    timespec zero{0, 0};
    while (sigtimedwait(&pipe_only, nullptr, &zero) < 0 && errno == EINTR) {
    }
  }
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  errno = saved;
  return n < 0 ? -1 : static_cast<ssize_t>(done);
}

// Reads one line (newline consumed, not stored); keeps at most size-1 bytes.
ssize_t read_line(int fd, char* line, size_t size) {
  size_t len = 0;
  bool overflow = false;
  for (;;) {
    char c;
    ssize_t n = read(fd, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return -1;
    if (n == 0) {  // the filter closed its stdout: it is gone
      errno = EPIPE;
      return -1;
    }
    if (c == '\n') break;
    if (len + 1 < size) line[len++] = c;
    else overflow = true;
  }
  line[len] = '\0';
  if (overflow) {
    errno = EMSGSIZE;
    return -1;
  }
  return static_cast<ssize_t>(len);
}

}  // namespace

int lab_coproc_start(struct lab_coprocess* cp, const char* const argv[]) {
  if (cp == nullptr || argv == nullptr || argv[0] == nullptr) {
    errno = EINVAL;
    return -1;
  }
  int to[2], from[2];
  if (pipe(to) < 0) return -1;
  if (pipe(from) < 0) {
    int saved = errno;
    close_pair(to);
    errno = saved;
    return -1;
  }
  pid_t pid = fork();
  if (pid < 0) {
    int saved = errno;
    close_pair(to);
    close_pair(from);
    errno = saved;
    return -1;
  }
  if (pid == 0) {
    if (dup2(to[0], STDIN_FILENO) < 0 || dup2(from[1], STDOUT_FILENO) < 0) _exit(127);
    for (int fd : {to[0], to[1], from[0], from[1]})
      if (fd > STDERR_FILENO) close(fd);
    execvp(argv[0], const_cast<char* const*>(argv));
    _exit(127);
  }
  close(to[0]);
  close(from[1]);
  // No command started later (another coprocess, a lab_popen) may hold our ends.
  fcntl(to[1], F_SETFD, FD_CLOEXEC);
  fcntl(from[0], F_SETFD, FD_CLOEXEC);
  *cp = {pid, to[1], from[0]};
  return 0;
}

ssize_t lab_coproc_ask(struct lab_coprocess* cp, const char* request, char* answer, size_t size) {
  if (cp == nullptr || request == nullptr || answer == nullptr || size == 0 || cp->pid < 1 ||
      strchr(request, '\n') != nullptr) {
    errno = EINVAL;
    return -1;
  }
  if (write_no_sigpipe(cp->to_filter, std::string(request) + "\n") < 0) return -1;
  return read_line(cp->from_filter, answer, size);
}

int lab_coproc_stop(struct lab_coprocess* cp) {
  if (cp == nullptr || cp->pid < 1) {
    errno = EINVAL;
    return -1;
  }
  // Both ends first: a filter that writes while finishing must not block on
  // a pipe nobody reads.
  close(cp->to_filter);
  close(cp->from_filter);
  pid_t pid = cp->pid;
  *cp = {-1, -1, -1};
  return wait_status(pid);
}
