// Chapter 03 — FIFOs: the reference solution. The contract is fifos.hpp.
#include "fifos.hpp"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <initializer_list>

namespace {

// Room for "<well-known path>.<pid>".
constexpr size_t client_path_max = LAB_FIFO_PATH_MAX + 24;

void client_path(char (&out)[client_path_max], const char* server_path, pid_t pid) {
  snprintf(out, sizeof out, "%s.%ld", server_path, static_cast<long>(pid));
}

int set_blocking(int fd) {
  int flags = fcntl(fd, F_GETFL);
  if (flags < 0) return -1;
  return fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
}

void close_keep_errno(int fd) {
  int saved = errno;
  close(fd);
  errno = saved;
}

// Ignores SIGPIPE while it lives, so writes to a vanished reader fail with
// EPIPE; the caller's disposition comes back afterwards.
class sigpipe_ignored {
public:
  sigpipe_ignored() {
    struct sigaction ign {};
    ign.sa_handler = SIG_IGN;
    sigemptyset(&ign.sa_mask);
    sigaction(SIGPIPE, &ign, &old_);
  }
  ~sigpipe_ignored() {
    int saved = errno;
    sigaction(SIGPIPE, &old_, nullptr);
    errno = saved;
  }
  sigpipe_ignored(const sigpipe_ignored&) = delete;
  sigpipe_ignored& operator=(const sigpipe_ignored&) = delete;

private:
  struct sigaction old_ {};
};

ssize_t write_record(int fd, const void* rec, size_t size) {
  sigpipe_ignored guard;
  ssize_t n;
  while ((n = write(fd, rec, size)) < 0 && errno == EINTR) {
  }
  return n;
}

}  // namespace

int lab_fifo_open_writer(const char* path) {
  if (path == nullptr) {
    errno = EINVAL;
    return -1;
  }
  // Without O_NONBLOCK this open would wait for a reader; with it, "no
  // reader" is ENXIO at once.
  int fd = open(path, O_WRONLY | O_NONBLOCK);
  if (fd < 0) return -1;
  struct stat st {};
  if (fstat(fd, &st) < 0 || set_blocking(fd) < 0) {
    close_keep_errno(fd);
    return -1;
  }
  if (!S_ISFIFO(st.st_mode)) {
    close(fd);
    errno = EINVAL;
    return -1;
  }
  return fd;
}

int lab_fifo_server_open(struct lab_fifo_server* srv, const char* path) {
  if (srv == nullptr || path == nullptr) {
    errno = EINVAL;
    return -1;
  }
  if (strlen(path) >= LAB_FIFO_PATH_MAX) {
    errno = ENAMETOOLONG;
    return -1;
  }
  if (mkfifo(path, 0600) < 0) return -1;
  // Read end first, non-blocking so the open does not wait for a writer;
  // then our own write end, which keeps read() from ever seeing end-of-file.
  int rfd = open(path, O_RDONLY | O_NONBLOCK);
  int wfd = rfd < 0 ? -1 : open(path, O_WRONLY);
  if (wfd < 0 || set_blocking(rfd) < 0) {
    int saved = errno;
    if (rfd >= 0) close(rfd);
    if (wfd >= 0) close(wfd);
    unlink(path);
    errno = saved;
    return -1;
  }
  srv->read_fd = rfd;
  srv->write_fd = wfd;
  snprintf(srv->path, sizeof srv->path, "%s", path);
  return 0;
}

namespace {

// Answers one request; true when the whole reply was written.
bool answer(const char* server_path, const lab_fifo_request& req) {
  lab_fifo_reply rep{};
  for (size_t i = 0; i + 1 < sizeof rep.text && req.text[i] != '\0'; ++i)
    rep.text[i] = static_cast<char>(toupper(static_cast<unsigned char>(req.text[i])));
  char path[client_path_max];
  client_path(path, server_path, req.pid);
  // Non-blocking: a client that is gone must not hold the server in open().
  int fd = open(path, O_WRONLY | O_NONBLOCK);
  if (fd < 0) return false;  // ENXIO or ENOENT: nobody to answer
  ssize_t n = write_record(fd, &rep, sizeof rep);
  close(fd);
  return n == static_cast<ssize_t>(sizeof rep);
}

}  // namespace

long lab_fifo_server_run(struct lab_fifo_server* srv, long max_requests) {
  if (srv == nullptr || srv->read_fd < 0 || max_requests < 1) {
    errno = EINVAL;
    return -1;
  }
  long answered = 0;
  for (long seen = 0; seen < max_requests;) {
    lab_fifo_request req{};
    ssize_t n = read(srv->read_fd, &req, sizeof req);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return -1;
    ++seen;
    if (n != static_cast<ssize_t>(sizeof req) || req.pid < 1) continue;  // not a request
    if (answer(srv->path, req)) ++answered;
  }
  return answered;
}

int lab_fifo_server_close(struct lab_fifo_server* srv) {
  if (srv == nullptr || srv->read_fd < 0) {
    errno = EINVAL;
    return -1;
  }
  close(srv->read_fd);
  close(srv->write_fd);
  srv->read_fd = srv->write_fd = -1;
  return unlink(srv->path);
}

ssize_t lab_fifo_ask(const char* server_path, const char* text, char* reply, size_t size) {
  if (server_path == nullptr || text == nullptr || reply == nullptr || size == 0) {
    errno = EINVAL;
    return -1;
  }
  if (strlen(text) >= LAB_FIFO_TEXT) {
    errno = EMSGSIZE;
    return -1;
  }
  if (strlen(server_path) >= LAB_FIFO_PATH_MAX) {
    errno = ENAMETOOLONG;
    return -1;
  }
  lab_fifo_request req{};
  req.pid = getpid();
  memcpy(req.text, text, strlen(text));
  char own[client_path_max];
  client_path(own, server_path, req.pid);
  if (mkfifo(own, 0600) < 0) return -1;

  // Ready to read before the server can try to answer. Our own write end
  // makes read() wait for the reply instead of returning end-of-file.
  int rfd = open(own, O_RDONLY | O_NONBLOCK);
  int keep = rfd < 0 ? -1 : open(own, O_WRONLY);
  int server = keep < 0 || set_blocking(rfd) < 0 ? -1 : lab_fifo_open_writer(server_path);
  ssize_t result = -1;
  if (server >= 0 && write_record(server, &req, sizeof req) == static_cast<ssize_t>(sizeof req)) {
    lab_fifo_reply rep{};
    ssize_t n;
    while ((n = read(rfd, &rep, sizeof rep)) < 0 && errno == EINTR) {
    }
    if (n == static_cast<ssize_t>(sizeof rep)) {
      size_t len = strnlen(rep.text, sizeof rep.text);
      if (len < size) {
        memcpy(reply, rep.text, len);
        reply[len] = '\0';
        result = static_cast<ssize_t>(len);
      } else {
        errno = EMSGSIZE;
      }
    } else if (n >= 0) {
      errno = EPIPE;  // a reply cut short
    }
  }
  int saved = errno;
  for (int fd : {server, keep, rfd})
    if (fd >= 0) close(fd);
  unlink(own);
  errno = saved;
  return result;
}
