// Peer style: APUE 17.4 and 17.5. The control buffer is malloc()ed once
// into a static pointer (malloc's alignment suits struct cmsghdr), as
// APUE's send_fd/recv_fd do. send_err writes its text with write(), which
// has no MSG_NOSIGNAL: SIGPIPE is blocked around it and a SIGPIPE it raised
// is consumed; then it calls send_fd(). recv_fd keeps a
// small state (null byte seen?) across reads so the status byte may arrive
// in a later read than the null byte. open_server reads its requests one
// byte at a time, splits each into an argv with strtok() like APUE's
// buf_args, and checks the argument count and the flags before it opens.
// Valid under fd-passing.hpp: the same wire format, control sizes, errnos,
// and no SIGPIPE ever raised.
#include "fd-passing.hpp"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define CONTROLLEN CMSG_LEN(sizeof(int))

static struct cmsghdr* cmptr = NULL;  // CMSG_SPACE(sizeof(int)) bytes, once

static int control_buffer(void) {
  if (cmptr == NULL && (cmptr = (struct cmsghdr*)malloc(CMSG_SPACE(sizeof(int)))) == NULL) {
    errno = ENOMEM;
    return -1;
  }
  return 0;
}

// Closes whatever descriptors came in msg's control data.
static void discard_fds(struct msghdr* msg) {
  for (struct cmsghdr* c = CMSG_FIRSTHDR(msg); c != NULL; c = CMSG_NXTHDR(msg, c))
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
      for (int* p = (int*)CMSG_DATA(c); (char*)(p + 1) <= (char*)c + c->cmsg_len; p++) close(*p);
}

static ssize_t sendmsg_fd(int fd, const void* data, size_t n, int sendfd) {
  struct iovec iov[1];
  struct msghdr msg;
  memset(&msg, 0, sizeof msg);
  iov[0].iov_base = (void*)data;
  iov[0].iov_len = n;
  msg.msg_iov = iov;
  msg.msg_iovlen = 1;
  if (sendfd >= 0) {
    if (control_buffer() == -1) return -1;
    memset(cmptr, 0, CMSG_SPACE(sizeof(int)));
    cmptr->cmsg_level = SOL_SOCKET;
    cmptr->cmsg_type = SCM_RIGHTS;
    cmptr->cmsg_len = CONTROLLEN;
    msg.msg_control = cmptr;
    msg.msg_controllen = CMSG_SPACE(sizeof(int));
    memcpy(CMSG_DATA(cmptr), &sendfd, sizeof(int));
  }
  return sendmsg(fd, &msg, MSG_NOSIGNAL);
}

// One recvmsg(); *newfd: the one descriptor that came, or -1.
static ssize_t recvmsg_fd(int fd, void* data, size_t n, int* newfd) {
  *newfd = -1;
  if (control_buffer() == -1) return -1;
  struct iovec iov[1];
  struct msghdr msg;
  memset(&msg, 0, sizeof msg);
  iov[0].iov_base = data;
  iov[0].iov_len = n;
  msg.msg_iov = iov;
  msg.msg_iovlen = 1;
  msg.msg_control = cmptr;
  msg.msg_controllen = CMSG_SPACE(sizeof(int));
  ssize_t nr = recvmsg(fd, &msg, 0);
  if (nr < 0) return -1;
  if (msg.msg_controllen == 0 && !(msg.msg_flags & MSG_CTRUNC)) return nr;
  struct cmsghdr* c = CMSG_FIRSTHDR(&msg);
  if ((msg.msg_flags & MSG_CTRUNC) || c == NULL || c->cmsg_len != CONTROLLEN ||
      c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS || CMSG_NXTHDR(&msg, c) != NULL) {
    discard_fds(&msg);
    errno = EMSGSIZE;
    return -1;
  }
  memcpy(newfd, CMSG_DATA(c), sizeof(int));
  return nr;
}

int fd_pipe(int fd[2]) {
  if (fd == NULL) {
    errno = EINVAL;
    return -1;
  }
  return socketpair(AF_UNIX, SOCK_STREAM, 0, fd);
}

int write_fd(int fd, void* ptr, int nbytes, int sendfd) {
  if (ptr == NULL || nbytes < 1) {
    errno = EINVAL;
    return -1;
  }
  return (int)sendmsg_fd(fd, ptr, (size_t)nbytes, sendfd);
}

int read_fd(int fd, void* ptr, int nbytes, int* recvfd) {
  if (recvfd != NULL) *recvfd = -1;
  if (ptr == NULL || recvfd == NULL || nbytes < 1) {
    errno = EINVAL;
    return -1;
  }
  return (int)recvmsg_fd(fd, ptr, (size_t)nbytes, recvfd);
}

int send_fd(int fd, int fd_to_send) {
  if (fd_to_send < -255) {
    errno = EINVAL;
    return -1;
  }
  char buf[2];
  buf[0] = 0;  // null byte: the status follows
  buf[1] = fd_to_send >= 0 ? 0 : (char)-fd_to_send;
  return sendmsg_fd(fd, buf, 2, fd_to_send) == 2 ? 0 : -1;
}

// write() of the whole text without letting SIGPIPE reach the process.
static int write_text(int fd, const char* p, size_t n) {
  sigset_t pipe_set, old, before;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  sigpending(&before);
  pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
  int rc = 0;
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0) {
      rc = -1;
      break;
    }
    p += w;
    n -= (size_t)w;
  }
  int saved = errno;
  if (rc < 0 && saved == EPIPE && !sigismember(&before, SIGPIPE)) {
    struct timespec zero = {0, 0};
    while (sigtimedwait(&pipe_set, NULL, &zero) < 0 && errno == EINTR) {
    }
  }
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  errno = saved;
  return rc;
}

int send_err(int fd, int errcode, const char* msg) {
  if (errcode < -255 || errcode > -1) {
    errno = EINVAL;
    return -1;
  }
  if (msg != NULL && write_text(fd, msg, strlen(msg)) < 0) return -1;
  return send_fd(fd, errcode);
}

int recv_fd(int fd, ssize_t (*userfunc)(int, const void*, size_t)) {
  char buf[1024];
  int newfd = -1;
  int saw_null = 0;
  int err = 0;
  for (;;) {
    int got;
    ssize_t nr = recvmsg_fd(fd, buf, sizeof buf, &got);
    if (nr < 0) {
      err = errno;
      break;
    }
    if (nr == 0) {
      err = ECONNRESET;
      break;
    }
    if (got >= 0) {
      if (newfd >= 0) {
        close(got);
        err = EBADMSG;
        break;
      }
      newfd = got;
    }
    char* end = buf + nr;
    char* status = NULL;
    if (saw_null) {
      status = buf;
    } else {
      char* nul = (char*)memchr(buf, 0, (size_t)nr);
      size_t text = (size_t)((nul == NULL ? end : nul) - buf);
      if (text > 0 && userfunc != NULL && userfunc(STDERR_FILENO, buf, text) != (ssize_t)text) {
        err = EIO;
        break;
      }
      if (nul == NULL) continue;
      saw_null = 1;
      if (nul + 1 == end) continue;  // the status byte is still on its way
      status = nul + 1;
    }
    if (status + 1 != end) {
      err = EBADMSG;
      break;
    }
    int st = *status & 0xFF;
    if (st == 0 && newfd >= 0) return newfd;
    err = (st == 0 || newfd >= 0) ? EBADMSG : st;
    break;
  }
  if (newfd >= 0) close(newfd);
  errno = err;
  return -1;
}

// Splits buf into at most maxargs words separated by blanks; -1 if more.
static int buf_args(char* buf, char** argv, int maxargs) {
  int argc = 0;
  for (char* p = strtok(buf, " \t\n"); p != NULL; p = strtok(NULL, " \t\n")) {
    if (argc == maxargs) return -1;
    argv[argc++] = p;
  }
  return argc;
}

static int flags_ok(const char* s, int* out) {
  const char* d = (*s == '+' || *s == '-') ? s + 1 : s;
  if (*d == '\0' || strspn(d, "0123456789") != strlen(d)) return 0;
  errno = 0;
  long v = strtol(s, NULL, 10);
  if (errno == ERANGE || v < 0 || v > INT_MAX) return 0;
  *out = (int)v;
  return 1;
}

static int handle_request(int sock, char* req) {
  char errmsg[OPEN_REQUEST_MAX + 128];
  snprintf(errmsg, sizeof errmsg, "bad request: %s", req);
  char* argv[3];
  int oflag = 0;
  int argc = buf_args(req, argv, 3);
  if (argc != 3 || strcmp(argv[0], "open") != 0 || !flags_ok(argv[2], &oflag))
    return send_err(sock, -EINVAL, errmsg);
  int newfd = open(argv[1], oflag, 0600);
  if (newfd < 0) {
    int e = errno;
    snprintf(errmsg, sizeof errmsg, "can't open %s: %s", argv[1], strerror(e));
    return send_err(sock, -e, errmsg);
  }
  int rc = send_fd(sock, newfd);
  int saved = errno;
  close(newfd);
  errno = saved;
  return rc;
}

int open_server(int fd) {
  char* req = (char*)malloc(OPEN_REQUEST_MAX);
  if (req == NULL) return -1;
  size_t len = 0;
  int rc = 0;
  for (;;) {  // one byte at a time: never a byte of the next request too early
    char c;
    ssize_t n = read(fd, &c, 1);
    if (n < 0) {
      rc = -1;
      break;
    }
    if (n == 0) {
      if (len != 0) {
        errno = EBADMSG;
        rc = -1;
      }
      break;
    }
    req[len++] = c;
    if (c == 0) {
      if (handle_request(fd, req) < 0) {
        rc = -1;
        break;
      }
      len = 0;
    } else if (len == OPEN_REQUEST_MAX) {
      errno = EMSGSIZE;
      rc = -1;
      break;
    }
  }
  int saved = errno;
  free(req);
  errno = saved;
  return rc;
}
