// Peer style: BSD libc. lab_popen keeps its open streams in a linked list of
// {FILE*, pid} nodes (as BSD's popen does) rather than an array indexed by
// descriptor; pipe2(O_CLOEXEC) makes the caller's end close-on-exec from
// birth, and the child still walks the list to close earlier streams. The
// coprocess writes its request and newline with one writev(), and keeps a
// write to a vanished filter from killing the caller by ignoring SIGPIPE for
// the write (a SIGPIPE already pending is left as it is: the signal is then
// blocked and a new one merges into it). Valid under popen.hpp: the same
// descriptors end up open in the same processes, and the statuses, errnos
// and signal state are the ones the contract names.
#include "popen.hpp"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include <initializer_list>

namespace {

struct stream_node {
  FILE* fp;
  pid_t pid;
  stream_node* next;
};

stream_node* streams = nullptr;

int collect(pid_t pid) {
  int status;
  for (;;) {
    if (waitpid(pid, &status, 0) >= 0) return status;
    if (errno != EINTR) return -1;
  }
}

// Moves fd onto target in a child, so that target survives exec.
int install(int fd, int target) {
  if (fd == target) return fcntl(fd, F_SETFD, 0);
  return dup2(fd, target) < 0 ? -1 : 0;
}

}  // namespace

FILE* lab_popen(const char* cmdstring, const char* type) {
  if (cmdstring == nullptr || type == nullptr || (strcmp(type, "r") != 0 && strcmp(type, "w") != 0)) {
    errno = EINVAL;
    return nullptr;
  }
  const bool reading = type[0] == 'r';
  stream_node* node = static_cast<stream_node*>(malloc(sizeof(stream_node)));
  if (node == nullptr) return nullptr;
  int p[2];
  if (pipe2(p, O_CLOEXEC) < 0) {
    int saved = errno;
    free(node);
    errno = saved;
    return nullptr;
  }
  const int parent_end = reading ? p[0] : p[1];
  const int child_end = reading ? p[1] : p[0];

  pid_t pid = fork();
  if (pid < 0) {
    int saved = errno;
    close(p[0]);
    close(p[1]);
    free(node);
    errno = saved;
    return nullptr;
  }
  if (pid == 0) {
    for (stream_node* s = streams; s != nullptr; s = s->next) close(fileno(s->fp));
    close(parent_end);
    if (install(child_end, reading ? STDOUT_FILENO : STDIN_FILENO) < 0) _exit(127);
    execl("/bin/sh", "sh", "-c", cmdstring, static_cast<char*>(nullptr));
    _exit(127);
  }
  close(child_end);
  FILE* fp = fdopen(parent_end, type);
  if (fp == nullptr) {
    int saved = errno;
    close(parent_end);
    collect(pid);
    free(node);
    errno = saved;
    return nullptr;
  }
  node->fp = fp;
  node->pid = pid;
  node->next = streams;
  streams = node;
  return fp;
}

int lab_pclose(FILE* fp) {
  stream_node** link = &streams;
  while (fp != nullptr && *link != nullptr && (*link)->fp != fp) link = &(*link)->next;
  if (fp == nullptr || *link == nullptr) {
    errno = EINVAL;
    return -1;
  }
  stream_node* node = *link;
  *link = node->next;
  pid_t pid = node->pid;
  free(node);
  if (fclose(fp) == EOF) return -1;
  return collect(pid);
}

int lab_coproc_start(struct lab_coprocess* cp, const char* const argv[]) {
  if (cp == nullptr || argv == nullptr || argv[0] == nullptr) {
    errno = EINVAL;
    return -1;
  }
  int in[2], out[2];  // in: filter's stdin; out: filter's stdout
  if (pipe2(in, O_CLOEXEC) < 0) return -1;
  if (pipe2(out, O_CLOEXEC) < 0) {
    int saved = errno;
    close(in[0]);
    close(in[1]);
    errno = saved;
    return -1;
  }
  pid_t pid = fork();
  if (pid < 0) {
    int saved = errno;
    for (int fd : {in[0], in[1], out[0], out[1]}) close(fd);
    errno = saved;
    return -1;
  }
  if (pid == 0) {
    // Copies above 2 first, so that neither dup2() can clobber the other end.
    int rd = fcntl(in[0], F_DUPFD_CLOEXEC, 3);
    int wr = fcntl(out[1], F_DUPFD_CLOEXEC, 3);
    if (rd < 0 || wr < 0 || dup2(rd, STDIN_FILENO) < 0 || dup2(wr, STDOUT_FILENO) < 0) _exit(127);
    execvp(argv[0], const_cast<char* const*>(argv));
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  cp->pid = pid;
  cp->to_filter = in[1];
  cp->from_filter = out[0];
  return 0;
}

namespace {

// Writes the whole request and its newline; EPIPE rather than SIGPIPE.
int send_line(int fd, const char* request) {
  sigset_t pending;
  sigpending(&pending);
  const bool already_pending = sigismember(&pending, SIGPIPE) == 1;
  struct sigaction ignore {}, old {};
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  if (!already_pending) sigaction(SIGPIPE, &ignore, &old);

  char newline = '\n';
  iovec iov[2] = {{const_cast<char*>(request), strlen(request)}, {&newline, 1}};
  int iovcnt = 2;
  iovec* at = iov;
  int rc = 0;
  while (iovcnt > 0) {
    ssize_t n = writev(fd, at, iovcnt);
    if (n < 0) {
      if (errno == EINTR) continue;
      rc = -1;
      break;
    }
    size_t done = static_cast<size_t>(n);
    while (iovcnt > 0 && done >= at->iov_len) {
      done -= at->iov_len;
      ++at;
      --iovcnt;
    }
    if (iovcnt > 0) {
      at->iov_base = static_cast<char*>(at->iov_base) + done;
      at->iov_len -= done;
    }
  }
  int saved = errno;
  if (!already_pending) sigaction(SIGPIPE, &old, nullptr);
  errno = saved;
  return rc;
}

}  // namespace

ssize_t lab_coproc_ask(struct lab_coprocess* cp, const char* request, char* answer, size_t size) {
  if (cp == nullptr || request == nullptr || answer == nullptr || size == 0 || cp->pid < 1 ||
      strchr(request, '\n') != nullptr) {
    errno = EINVAL;
    return -1;
  }
  if (send_line(cp->to_filter, request) < 0) return -1;
  size_t kept = 0;
  bool too_long = false;
  for (;;) {
    char c;
    ssize_t n = read(cp->from_filter, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return -1;
    if (n == 0) {
      errno = EPIPE;
      return -1;
    }
    if (c == '\n') break;
    if (kept + 1 < size) answer[kept++] = c;
    else too_long = true;
  }
  answer[kept] = '\0';
  if (too_long) {
    errno = EMSGSIZE;
    return -1;
  }
  return static_cast<ssize_t>(kept);
}

int lab_coproc_stop(struct lab_coprocess* cp) {
  if (cp == nullptr || cp->pid < 1) {
    errno = EINVAL;
    return -1;
  }
  close(cp->to_filter);
  close(cp->from_filter);
  pid_t pid = cp->pid;
  cp->pid = cp->to_filter = cp->from_filter = -1;
  return collect(pid);
}
