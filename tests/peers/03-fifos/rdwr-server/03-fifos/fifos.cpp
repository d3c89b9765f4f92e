// Peer style: the Linux O_RDWR idiom for a FIFO server. The well-known
// FIFO's read end is opened O_RDWR: on Linux that open never blocks (the
// descriptor is a reader and a writer at once) and read() on it never sees
// end-of-file, however many clients come and go; a separate O_WRONLY
// descriptor fills write_fd as the contract asks. The client, the SIGPIPE
// handling and the requests are as in the rdwr-bootstrap peer.
// It shows that the test of lab_fifo_server_open takes an O_RDWR read end
// (fifos.hpp allows it on Linux) as a read end.
#include "fifos.hpp"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

namespace {

int fail(int err) {
  errno = err;
  return -1;
}

// Writes one record with SIGPIPE blocked; a SIGPIPE this write caused is
// taken off the pending set before the old mask comes back.
ssize_t write_record(int fd, const void* rec, size_t len) {
  sigset_t pipe_set, old_mask, before;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  sigpending(&before);
  pthread_sigmask(SIG_BLOCK, &pipe_set, &old_mask);
  ssize_t n;
  do n = write(fd, rec, len);
  while (n < 0 && errno == EINTR);
  int saved = errno;
  if (n < 0 && saved == EPIPE && sigismember(&before, SIGPIPE) != 1) {
    const timespec now{0, 0};
    while (sigtimedwait(&pipe_set, nullptr, &now) < 0 && errno == EINTR) {
    }
  }
  pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
  errno = saved;
  return n;
}

void reply_path(char* out, size_t size, const char* server, pid_t pid) {
  snprintf(out, size, "%s.%ld", server, static_cast<long>(pid));
}

}  // namespace

int lab_fifo_open_writer(const char* path) {
  if (path == nullptr) return fail(EINVAL);
  int fd = open(path, O_WRONLY | O_NONBLOCK);
  if (fd < 0) return -1;
  struct stat st;
  int flags;
  int err = 0;
  if (fstat(fd, &st) < 0 || (flags = fcntl(fd, F_GETFL)) < 0 ||
      fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0)
    err = errno;
  else if (!S_ISFIFO(st.st_mode))
    err = EINVAL;
  if (err != 0) {
    close(fd);
    return fail(err);
  }
  return fd;
}

int lab_fifo_server_open(struct lab_fifo_server* srv, const char* path) {
  if (srv == nullptr || path == nullptr) return fail(EINVAL);
  if (strlen(path) >= LAB_FIFO_PATH_MAX) return fail(ENAMETOOLONG);
  if (mkfifo(path, 0600) < 0) return -1;
  int rfd = open(path, O_RDWR);  // Linux: never blocks on a FIFO
  int wfd = rfd < 0 ? -1 : open(path, O_WRONLY);
  int saved = errno;
  if (wfd < 0) {
    if (rfd >= 0) close(rfd);
    unlink(path);
    return fail(saved);
  }
  srv->read_fd = rfd;
  srv->write_fd = wfd;
  memcpy(srv->path, path, strlen(path) + 1);
  return 0;
}

long lab_fifo_server_run(struct lab_fifo_server* srv, long max_requests) {
  if (srv == nullptr || srv->read_fd < 0 || max_requests < 1) return fail(EINVAL);
  long replied = 0;
  long seen = 0;
  while (seen < max_requests) {
    lab_fifo_request req;
    ssize_t n = read(srv->read_fd, &req, sizeof req);
    if (n < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    seen++;
    if (n != static_cast<ssize_t>(sizeof req) || req.pid <= 0) continue;
    lab_fifo_reply rep;
    memset(&rep, 0, sizeof rep);
    for (size_t i = 0; i < sizeof rep.text - 1 && req.text[i] != '\0'; i++) {
      char ch = req.text[i];
      rep.text[i] = ch >= 'a' && ch <= 'z' ? static_cast<char>(ch - ('a' - 'A')) : ch;
    }
    char path[LAB_FIFO_PATH_MAX + 24];
    reply_path(path, sizeof path, srv->path, req.pid);
    int fd = open(path, O_WRONLY | O_NONBLOCK);
    if (fd < 0) continue;  // the client is gone
    if (write_record(fd, &rep, sizeof rep) == static_cast<ssize_t>(sizeof rep)) replied++;
    close(fd);
  }
  return replied;
}

int lab_fifo_server_close(struct lab_fifo_server* srv) {
  if (srv == nullptr || srv->read_fd < 0) return fail(EINVAL);
  close(srv->read_fd);
  if (srv->write_fd >= 0) close(srv->write_fd);
  srv->read_fd = -1;
  srv->write_fd = -1;
  return unlink(srv->path);
}

ssize_t lab_fifo_ask(const char* server_path, const char* text, char* reply, size_t size) {
  if (server_path == nullptr || text == nullptr || reply == nullptr || size == 0) return fail(EINVAL);
  size_t len = strlen(text);
  if (len >= LAB_FIFO_TEXT) return fail(EMSGSIZE);
  if (strlen(server_path) >= LAB_FIFO_PATH_MAX) return fail(ENAMETOOLONG);

  int server = lab_fifo_open_writer(server_path);
  if (server < 0) return -1;
  lab_fifo_request req;
  memset(&req, 0, sizeof req);
  req.pid = getpid();
  memcpy(req.text, text, len);
  char own[LAB_FIFO_PATH_MAX + 24];
  reply_path(own, sizeof own, server_path, req.pid);
  if (mkfifo(own, 0600) < 0) {
    int saved = errno;
    close(server);
    return fail(saved);
  }
  int mine = open(own, O_RDWR);  // read end and keep-alive write end at once
  ssize_t result = -1;
  int err = errno;
  if (mine >= 0) {
    if (write_record(server, &req, sizeof req) != static_cast<ssize_t>(sizeof req)) {
      err = errno;
    } else {
      lab_fifo_reply rep;
      ssize_t n;
      do n = read(mine, &rep, sizeof rep);
      while (n < 0 && errno == EINTR);
      if (n < 0) {
        err = errno;
      } else if (n != static_cast<ssize_t>(sizeof rep)) {
        err = EPIPE;
      } else {
        size_t got = strnlen(rep.text, sizeof rep.text);
        if (got >= size) {
          err = EMSGSIZE;
        } else {
          memcpy(reply, rep.text, got);
          reply[got] = '\0';
          result = static_cast<ssize_t>(got);
        }
      }
    }
    close(mine);
  }
  close(server);
  unlink(own);
  if (result < 0) errno = err;
  return result;
}
