// Chapter 09 — fd-passing. Fill in each function; the contract is fd-passing.hpp.
// Check your work with:  ./ipclab check fd-passing
#include "fd-passing.hpp"

#include <errno.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>

int fd_pipe(int fd[2]) {
  // TODO: refuse a null fd with EINVAL; otherwise one socketpair() call:
  // AF_UNIX, SOCK_STREAM, protocol 0.
  (void)fd;
  errno = ENOSYS;
  return -1;
}

int write_fd(int fd, void *ptr, int nbytes, int sendfd) {
  // TODO: check the arguments (EINVAL). Fill a struct msghdr: one iovec for
  // the data; when sendfd >= 0, a control buffer of CMSG_SPACE(sizeof(int))
  // bytes (in a union with struct cmsghdr, for alignment) holding one
  // SCM_RIGHTS header of CMSG_LEN(sizeof(int)) with sendfd in CMSG_DATA.
  // sendmsg() with MSG_NOSIGNAL and return what it returns.
  (void)fd, (void)ptr, (void)nbytes, (void)sendfd;
  errno = ENOSYS;
  return -1;
}

int read_fd(int fd, void *ptr, int nbytes, int *recvfd) {
  // TODO: set *recvfd = -1, check the arguments (EINVAL), then one
  // recvmsg() with a control buffer that holds one descriptor. If
  // msg_flags has MSG_CTRUNC, or the SCM_RIGHTS item holds more than one
  // descriptor, close every descriptor that came and fail with EMSGSIZE.
  // Otherwise copy the descriptor (if any) out of CMSG_DATA.
  (void)fd, (void)ptr, (void)nbytes, (void)recvfd;
  errno = ENOSYS;
  return -1;
}

int send_fd(int fd, int fd_to_send) {
  // TODO: two bytes, a null byte and a status byte: 0 with the descriptor
  // as SCM_RIGHTS when fd_to_send >= 0, else -fd_to_send and no descriptor
  // (EINVAL below -255). write_fd() does most of the work.
  (void)fd, (void)fd_to_send;
  errno = ENOSYS;
  return -1;
}

int send_err(int fd, int status, const char *errmsg) {
  // TODO: check status is in -255..-1 (EINVAL), send the text of errmsg
  // (if any) without its null byte, then send_fd(fd, status).
  (void)fd, (void)status, (void)errmsg;
  errno = ENOSYS;
  return -1;
}

int recv_fd(int fd, ssize_t (*userfunc)(int, const void *, size_t)) {
  // TODO: loop on read_fd(): hand the bytes before the null byte to
  // userfunc(STDERR_FILENO, ...); after the null byte comes the status:
  // 0 means return the descriptor that came, nonzero means fail with that
  // errno. End-of-file first: ECONNRESET. Anything inconsistent: EBADMSG,
  // closing any descriptor that came.
  (void)fd, (void)userfunc;
  errno = ENOSYS;
  return -1;
}

int open_server(int fd) {
  // TODO: read bytes into a buffer; for each complete request (up to its
  // null byte) split "open <pathname> <oflag>", open() the file, send_fd()
  // then close it, or send_err() the reason. Return 0 at end-of-file
  // between requests.
  (void)fd;
  errno = ENOSYS;
  return -1;
}
