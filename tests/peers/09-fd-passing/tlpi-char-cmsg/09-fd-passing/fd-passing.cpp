// Peer style: TLPI 61.13 for the ancillary data (a char array aligned for
// struct cmsghdr, walked with CMSG_FIRSTHDR/CMSG_NXTHDR), plain C for the
// rest. send_err sends its text, the null byte and the status byte with
// one gathering sendmsg() (the bytes on the wire are those of the text
// followed by send_fd(fd, status)). recv_fd reads in small chunks and runs
// a three-state scanner over the bytes (text, status, done); open_server
// keeps requests in a fixed array, splits them with strtok_r() and checks
// the flags field character by character. Valid under fd-passing.hpp: the
// same control buffer size and header, the same two-byte protocol, errnos
// and descriptor hygiene.
#include "fd-passing.hpp"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#define CONTROL_LEN CMSG_SPACE(sizeof(int))

// Closes every descriptor of every SCM_RIGHTS item; returns how many there were.
static int close_rights(struct msghdr* msg) {
  int count = 0;
  for (struct cmsghdr* c = CMSG_FIRSTHDR(msg); c != NULL; c = CMSG_NXTHDR(msg, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
    size_t n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    for (size_t i = 0; i < n; i++) {
      int d;
      memcpy(&d, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
      close(d);
      count++;
    }
  }
  return count;
}

// One recvmsg(); *fdp gets the one descriptor that came, or -1.
static ssize_t recv_one(int sock, void* buf, size_t len, int* fdp) {
  alignas(struct cmsghdr) char control[CONTROL_LEN];
  struct iovec iov = {buf, len};
  struct msghdr msg;
  memset(&msg, 0, sizeof msg);
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  *fdp = -1;
  ssize_t n = recvmsg(sock, &msg, 0);
  if (n == -1) return -1;
  struct cmsghdr* c = CMSG_FIRSTHDR(&msg);
  if (c == NULL && !(msg.msg_flags & MSG_CTRUNC)) return n;
  if (!(msg.msg_flags & MSG_CTRUNC) && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
      c->cmsg_len == CMSG_LEN(sizeof(int)) && CMSG_NXTHDR(&msg, c) == NULL) {
    memcpy(fdp, CMSG_DATA(c), sizeof(int));
    return n;
  }
  close_rights(&msg);
  errno = EMSGSIZE;
  return -1;
}

// Sends every byte of iov[0..cnt) with MSG_NOSIGNAL; the control data (if
// any) goes with the first sendmsg() only.
static int send_all(int sock, struct iovec* iov, int cnt, int sendfd) {
  alignas(struct cmsghdr) char control[CONTROL_LEN];
  struct msghdr msg;
  memset(&msg, 0, sizeof msg);
  if (sendfd >= 0) {
    memset(control, 0, sizeof control);
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    struct cmsghdr* c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &sendfd, sizeof(int));
  }
  while (cnt > 0 && iov->iov_len == 0) {
    iov++;
    cnt--;
  }
  while (cnt > 0) {
    msg.msg_iov = iov;
    msg.msg_iovlen = (size_t)cnt;
    ssize_t n = sendmsg(sock, &msg, MSG_NOSIGNAL);
    if (n == -1) return -1;
    msg.msg_control = NULL;
    msg.msg_controllen = 0;
    size_t done = (size_t)n;
    while (cnt > 0 && done >= iov->iov_len) {
      done -= iov->iov_len;
      iov++;
      cnt--;
    }
    if (cnt > 0) {
      iov->iov_base = (char*)iov->iov_base + done;
      iov->iov_len -= done;
    }
  }
  return 0;
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
  alignas(struct cmsghdr) char control[CONTROL_LEN];
  struct iovec iov = {ptr, (size_t)nbytes};
  struct msghdr msg;
  memset(&msg, 0, sizeof msg);
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  if (sendfd >= 0) {
    memset(control, 0, sizeof control);
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    struct cmsghdr* c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &sendfd, sizeof(int));
  }
  return (int)sendmsg(fd, &msg, MSG_NOSIGNAL);
}

int read_fd(int fd, void* ptr, int nbytes, int* recvfd) {
  if (recvfd != NULL) *recvfd = -1;
  if (ptr == NULL || recvfd == NULL || nbytes < 1) {
    errno = EINVAL;
    return -1;
  }
  return (int)recv_one(fd, ptr, (size_t)nbytes, recvfd);
}

int send_fd(int fd, int fd_to_send) {
  if (fd_to_send < -255) {
    errno = EINVAL;
    return -1;
  }
  char two[2] = {0, (char)(fd_to_send >= 0 ? 0 : -fd_to_send)};
  struct iovec iov = {two, 2};
  return send_all(fd, &iov, 1, fd_to_send);
}

int send_err(int fd, int status, const char* errmsg) {
  if (status < -255 || status > -1) {
    errno = EINVAL;
    return -1;
  }
  char two[2] = {0, (char)-status};
  struct iovec iov[2] = {{(void*)errmsg, errmsg == NULL ? 0 : strlen(errmsg)}, {two, 2}};
  return send_all(fd, iov, 2, -1);
}

int recv_fd(int fd, ssize_t (*userfunc)(int, const void*, size_t)) {
  enum { TEXT, STATUS, DONE } state = TEXT;
  int passed = -1;
  int status = 0;
  int err = 0;
  char buf[256];
  while (state != DONE && err == 0) {
    int got;
    ssize_t n = recv_one(fd, buf, sizeof buf, &got);
    if (n <= 0) {
      err = n == 0 ? ECONNRESET : errno;
      break;
    }
    if (got >= 0) {
      if (passed >= 0) {
        close(got);
        err = EBADMSG;
        break;
      }
      passed = got;
    }
    ssize_t text = 0;  // text bytes at the front of this chunk
    for (ssize_t i = 0; i < n; i++) {
      if (state == TEXT) {
        if (buf[i] == 0) state = STATUS;
        else text++;
      } else if (state == STATUS) {
        status = (unsigned char)buf[i];
        state = DONE;
      } else {
        err = EBADMSG;  // something after the status byte
        break;
      }
    }
    if (err == 0 && text > 0 && userfunc != NULL && userfunc(STDERR_FILENO, buf, (size_t)text) != text)
      err = EIO;
  }
  if (err == 0) {
    if (status == 0 && passed >= 0) return passed;
    err = (status == 0 || passed >= 0) ? EBADMSG : status;
  }
  if (passed >= 0) close(passed);
  errno = err;
  return -1;
}

// "open <path> <flags>"; the flags: an optional sign, then digits only.
static int parse(char* req, char** path, int* oflag) {
  char* save = NULL;
  char* cmd = strtok_r(req, " \t\n", &save);
  char* p = strtok_r(NULL, " \t\n", &save);
  char* num = strtok_r(NULL, " \t\n", &save);
  if (cmd == NULL || p == NULL || num == NULL || strtok_r(NULL, " \t\n", &save) != NULL) return -1;
  if (strcmp(cmd, "open") != 0) return -1;
  const char* d = num + (num[0] == '+' || num[0] == '-');
  if (*d == '\0') return -1;
  for (const char* q = d; *q != '\0'; q++)
    if (*q < '0' || *q > '9') return -1;
  errno = 0;
  long v = strtol(num, NULL, 10);
  if (errno != 0 || v < 0 || v > INT_MAX) return -1;
  *path = p;
  *oflag = (int)v;
  return 0;
}

static int answer(int sock, const char* request) {
  size_t len = strlen(request);
  char* copy = (char*)malloc(len + 1);
  char* text = (char*)malloc(len + 64 > 320 ? len + 64 : 320);
  if (copy == NULL || text == NULL) {
    free(copy);
    free(text);
    errno = ENOMEM;
    return -1;
  }
  memcpy(copy, request, len + 1);
  char* path;
  int oflag;
  int rc;
  if (parse(copy, &path, &oflag) == -1) {
    snprintf(text, len + 64 > 320 ? len + 64 : 320, "bad request: %s", request);
    rc = send_err(sock, -EINVAL, text);
  } else {
    int newfd = open(path, oflag, 0600);
    if (newfd == -1) {
      int e = errno;
      char* msg = (char*)malloc(strlen(path) + 256);
      if (msg == NULL) {
        rc = send_err(sock, -e, "can't open");
      } else {
        sprintf(msg, "can't open %s: %s", path, strerror(e));
        rc = send_err(sock, -e, msg);
        free(msg);
      }
    } else {
      rc = send_fd(sock, newfd);
      int saved = errno;
      close(newfd);
      errno = saved;
    }
  }
  int saved = errno;
  free(copy);
  free(text);
  errno = saved;
  return rc;
}

int open_server(int fd) {
  static char pending[OPEN_REQUEST_MAX];
  size_t have = 0;
  for (;;) {
    char* nul;
    while ((nul = (char*)memchr(pending, 0, have)) != NULL) {
      if (answer(fd, pending) == -1) return -1;
      size_t used = (size_t)(nul - pending) + 1;
      memmove(pending, nul + 1, have - used);
      have -= used;
    }
    if (have == sizeof pending) {
      errno = EMSGSIZE;
      return -1;
    }
    ssize_t n = read(fd, pending + have, sizeof pending - have);
    if (n == -1) return -1;
    if (n == 0) {
      if (have == 0) return 0;
      errno = EBADMSG;
      return -1;
    }
    have += (size_t)n;
  }
}
