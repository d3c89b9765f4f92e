// Peer style: glibc's own popen. The shell is started with posix_spawn()
// and file actions instead of fork()+exec(): the command's end of the pipe
// is dup2()ed onto 0 or 1 and every earlier stream's descriptor is closed
// by a file action. Streams are remembered as in APUE 15.3, in an array of
// pids indexed by descriptor, sized by sysconf(_SC_OPEN_MAX) on first use.
// (Should /bin/sh itself be missing, glibc's spawn child _exit(127)s and
// lab_popen reports the exec's errno, as glibc's popen does.) The coprocess
// needs a child that outlives a failed execvp(), so it forks; a SIGPIPE its
// write raises is blocked and then taken back with sigtimedwait().
// Valid under popen.hpp: the same descriptors in the same processes, raw
// statuses from waitpid(), and the caller's signal state left as it was.
#include "popen.hpp"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char** environ;

static pid_t* childpid = NULL;  // childpid[fd]: the command behind stream fd
static long maxfd = 0;

static int reap(pid_t pid) {
  int status;
  while (waitpid(pid, &status, 0) == -1)
    if (errno != EINTR) return -1;
  return status;
}

FILE* lab_popen(const char* cmdstring, const char* type) {
  if (cmdstring == NULL || type == NULL || (strcmp(type, "r") != 0 && strcmp(type, "w") != 0)) {
    errno = EINVAL;
    return NULL;
  }
  if (childpid == NULL) {
    maxfd = sysconf(_SC_OPEN_MAX);
    childpid = (pid_t*)calloc((size_t)maxfd, sizeof(pid_t));
    if (childpid == NULL) {
      errno = ENOMEM;
      return NULL;
    }
  }
  int pfd[2];
  if (pipe2(pfd, O_CLOEXEC) == -1) return NULL;
  int ours = type[0] == 'r' ? pfd[0] : pfd[1];
  int theirs = type[0] == 'r' ? pfd[1] : pfd[0];
  if (ours >= maxfd || theirs >= maxfd) {
    close(pfd[0]);
    close(pfd[1]);
    errno = EMFILE;
    return NULL;
  }

  posix_spawn_file_actions_t fa;
  int err = posix_spawn_file_actions_init(&fa);
  if (err == 0) err = posix_spawn_file_actions_adddup2(&fa, theirs, type[0] == 'r' ? STDOUT_FILENO : STDIN_FILENO);
  for (long fd = 0; err == 0 && fd < maxfd; fd++)
    if (childpid[fd] > 0) err = posix_spawn_file_actions_addclose(&fa, (int)fd);
  pid_t pid = -1;
  if (err == 0) {
    char* const argv[] = {(char*)"sh", (char*)"-c", (char*)cmdstring, NULL};
    err = posix_spawn(&pid, "/bin/sh", &fa, NULL, argv, environ);
  }
  posix_spawn_file_actions_destroy(&fa);
  close(theirs);
  if (err != 0) {
    close(ours);
    errno = err;
    return NULL;
  }
  FILE* fp = fdopen(ours, type);
  if (fp == NULL) {
    int saved = errno;
    close(ours);
    reap(pid);
    errno = saved;
    return NULL;
  }
  childpid[ours] = pid;
  return fp;
}

int lab_pclose(FILE* fp) {
  int fd = fp == NULL ? -1 : fileno(fp);
  if (childpid == NULL || fd < 0 || fd >= maxfd || childpid[fd] <= 0) {
    errno = EINVAL;
    return -1;
  }
  pid_t pid = childpid[fd];
  childpid[fd] = 0;
  if (fclose(fp) == EOF) return -1;
  return reap(pid);
}

int lab_coproc_start(struct lab_coprocess* cp, const char* const argv[]) {
  if (cp == NULL || argv == NULL || argv[0] == NULL) {
    errno = EINVAL;
    return -1;
  }
  int fd1[2], fd2[2];  // fd1: to the filter; fd2: from it
  if (pipe(fd1) == -1) return -1;
  if (pipe(fd2) == -1) {
    int saved = errno;
    close(fd1[0]);
    close(fd1[1]);
    errno = saved;
    return -1;
  }
  pid_t pid = fork();
  if (pid == -1) {
    int saved = errno;
    close(fd1[0]);
    close(fd1[1]);
    close(fd2[0]);
    close(fd2[1]);
    errno = saved;
    return -1;
  }
  if (pid == 0) {
    close(fd1[1]);
    close(fd2[0]);
    if (fd1[0] != STDIN_FILENO) {
      if (dup2(fd1[0], STDIN_FILENO) != STDIN_FILENO) _exit(127);
      close(fd1[0]);
    }
    if (fd2[1] != STDOUT_FILENO) {
      if (dup2(fd2[1], STDOUT_FILENO) != STDOUT_FILENO) _exit(127);
      close(fd2[1]);
    }
    execvp(argv[0], (char* const*)argv);
    _exit(127);
  }
  close(fd1[0]);
  close(fd2[1]);
  fcntl(fd1[1], F_SETFD, FD_CLOEXEC);
  fcntl(fd2[0], F_SETFD, FD_CLOEXEC);
  cp->pid = pid;
  cp->to_filter = fd1[1];
  cp->from_filter = fd2[0];
  return 0;
}

static int write_all_nosigpipe(int fd, const char* p, size_t n) {
  sigset_t pipeset, oldmask, pend;
  sigemptyset(&pipeset);
  sigaddset(&pipeset, SIGPIPE);
  sigpending(&pend);
  int was_pending = sigismember(&pend, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipeset, &oldmask);
  int rc = 0;
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w == -1) {
      if (errno == EINTR) continue;
      rc = -1;
      break;
    }
    p += w;
    n -= (size_t)w;
  }
  int saved = errno;
  if (rc == -1 && saved == EPIPE && !was_pending) {
    struct timespec zero = {0, 0};
    while (sigtimedwait(&pipeset, NULL, &zero) == -1 && errno == EINTR) {
    }
  }
  pthread_sigmask(SIG_SETMASK, &oldmask, NULL);
  errno = saved;
  return rc;
}

ssize_t lab_coproc_ask(struct lab_coprocess* cp, const char* request, char* answer, size_t size) {
  if (cp == NULL || request == NULL || answer == NULL || size == 0 || cp->pid < 1 ||
      strchr(request, '\n') != NULL) {
    errno = EINVAL;
    return -1;
  }
  size_t len = strlen(request);
  char* line = (char*)malloc(len + 1);
  if (line == NULL) return -1;
  memcpy(line, request, len);
  line[len] = '\n';
  int rc = write_all_nosigpipe(cp->to_filter, line, len + 1);
  free(line);
  if (rc == -1) return -1;
  size_t n = 0;
  int overflow = 0;
  char c;
  for (;;) {
    ssize_t r = read(cp->from_filter, &c, 1);
    if (r == -1 && errno == EINTR) continue;
    if (r == -1) return -1;
    if (r == 0) {
      errno = EPIPE;
      return -1;
    }
    if (c == '\n') break;
    if (n < size - 1) answer[n++] = c;
    else overflow = 1;
  }
  answer[n] = '\0';
  if (overflow) {
    errno = EMSGSIZE;
    return -1;
  }
  return (ssize_t)n;
}

int lab_coproc_stop(struct lab_coprocess* cp) {
  if (cp == NULL || cp->pid < 1) {
    errno = EINVAL;
    return -1;
  }
  pid_t pid = cp->pid;
  close(cp->to_filter);
  close(cp->from_filter);
  cp->pid = -1;
  cp->to_filter = -1;
  cp->from_filter = -1;
  return reap(pid);
}
