// Chapter 09 — fd-passing: the reference solution. The contract is fd-passing.hpp.
#include "fd-passing.hpp"

#include <errno.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

// A control buffer with room for one descriptor, aligned for struct cmsghdr.
union one_fd_control {
  cmsghdr align;
  char buf[CMSG_SPACE(sizeof(int))];
};

// Closes every descriptor carried by the SCM_RIGHTS items of @p msg.
void close_passed(msghdr& msg) {
  for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
    std::size_t n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    for (std::size_t i = 0; i < n; ++i) {
      int fd;
      std::memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof fd);
      close(fd);
    }
  }
}

// One recvmsg() into [ptr, ptr+n); *got = the single descriptor or -1.
// Fails with EMSGSIZE (after closing what came) unless at most one arrived.
ssize_t recv_with_fd(int fd, void* ptr, std::size_t n, int* got) {
  *got = -1;
  one_fd_control control;
  iovec iov{ptr, n};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control.buf;
  msg.msg_controllen = sizeof control.buf;
  ssize_t nr = recvmsg(fd, &msg, 0);
  if (nr < 0) return -1;
  cmsghdr* c = CMSG_FIRSTHDR(&msg);
  bool single = c != nullptr && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
                c->cmsg_len == CMSG_LEN(sizeof(int)) && CMSG_NXTHDR(&msg, c) == nullptr;
  if ((msg.msg_flags & MSG_CTRUNC) != 0 || (c != nullptr && !single)) {
    close_passed(msg);  // never leave a stray descriptor behind
    errno = EMSGSIZE;
    return -1;
  }
  if (single) std::memcpy(got, CMSG_DATA(c), sizeof(int));
  return nr;
}

// The whole of [ptr, ptr+n) in one sendmsg(), with @p sendfd when >= 0.
ssize_t send_with_fd(int fd, const void* ptr, std::size_t n, int sendfd) {
  one_fd_control control;
  iovec iov{const_cast<void*>(ptr), n};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  if (sendfd >= 0) {
    msg.msg_control = control.buf;
    msg.msg_controllen = sizeof control.buf;
    cmsghdr* c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    std::memcpy(CMSG_DATA(c), &sendfd, sizeof sendfd);
  }
  return sendmsg(fd, &msg, MSG_NOSIGNAL);
}

// Splits @p request on blanks; true when it is "open <path> <number>".
bool parse_request(const std::string& request, std::string& path, int& oflag) {
  std::vector<std::string> fields;
  std::size_t at = 0;
  const char* blanks = " \t\n";
  while ((at = request.find_first_not_of(blanks, at)) != std::string::npos) {
    std::size_t end = request.find_first_of(blanks, at);
    fields.push_back(request.substr(at, end - at));
    at = end;
  }
  if (fields.size() != 3 || fields[0] != "open") return false;
  char* end = nullptr;
  errno = 0;
  long flags = std::strtol(fields[2].c_str(), &end, 10);
  if (errno != 0 || *end != '\0' || flags < 0 || flags > 0x7fffffff) return false;
  path = fields[1];
  oflag = static_cast<int>(flags);
  return true;
}

// Answers one complete request (without its null byte).
int answer(int fd, const std::string& request) {
  std::string path;
  int oflag = 0;
  if (!parse_request(request, path, oflag))
    return send_err(fd, -EINVAL, ("bad request: " + request).c_str());
  int newfd = open(path.c_str(), oflag, 0600);
  if (newfd < 0) {
    int err = errno;
    std::string text = "can't open " + path + ": " + std::strerror(err);
    return send_err(fd, -err, text.c_str());
  }
  int rc = send_fd(fd, newfd);
  int saved = errno;
  close(newfd);  // the client has its own reference now
  errno = saved;
  return rc;
}

}  // namespace

int fd_pipe(int fd[2]) {
  if (fd == nullptr) {
    errno = EINVAL;
    return -1;
  }
  return socketpair(AF_UNIX, SOCK_STREAM, 0, fd);
}

int write_fd(int fd, void* ptr, int nbytes, int sendfd) {
  if (ptr == nullptr || nbytes < 1) {
    errno = EINVAL;
    return -1;
  }
  return static_cast<int>(send_with_fd(fd, ptr, static_cast<std::size_t>(nbytes), sendfd));
}

int read_fd(int fd, void* ptr, int nbytes, int* recvfd) {
  if (recvfd != nullptr) *recvfd = -1;
  if (ptr == nullptr || recvfd == nullptr || nbytes < 1) {
    errno = EINVAL;
    return -1;
  }
  return static_cast<int>(recv_with_fd(fd, ptr, static_cast<std::size_t>(nbytes), recvfd));
}

int send_fd(int fd, int fd_to_send) {
  if (fd_to_send < -255) {
    errno = EINVAL;
    return -1;
  }
  // The null byte says "status follows"; status 0 means a descriptor comes along.
  const char reply[2] = {0, static_cast<char>(fd_to_send >= 0 ? 0 : -fd_to_send)};
  return send_with_fd(fd, reply, sizeof reply, fd_to_send) == sizeof reply ? 0 : -1;
}

int send_err(int fd, int status, const char* errmsg) {
  if (status < -255 || status > -1) {
    errno = EINVAL;
    return -1;
  }
  std::size_t left = errmsg == nullptr ? 0 : std::strlen(errmsg);
  while (left > 0) {
    ssize_t n = send(fd, errmsg, left, MSG_NOSIGNAL);
    if (n < 0) return -1;
    errmsg += n;
    left -= static_cast<std::size_t>(n);
  }
  return send_fd(fd, status);
}

int recv_fd(int fd, ssize_t (*userfunc)(int, const void*, size_t)) {
  char buf[4096];
  bool have_null = false;  // the null byte came; the status byte is next
  int passed = -1;         // the descriptor, once it came
  int err = 0;
  while (err == 0) {
    int got = -1;
    ssize_t nr = recv_with_fd(fd, buf, sizeof buf, &got);
    if (nr <= 0) {
      err = nr == 0 ? ECONNRESET : errno;
      break;
    }
    if (got >= 0 && passed >= 0) {
      close(got);  // one reply carries one descriptor
      err = EBADMSG;
    } else if (got >= 0) {
      passed = got;
    }
    char* end = buf + nr;
    char* text_end = have_null ? buf : static_cast<char*>(std::memchr(buf, 0, static_cast<std::size_t>(nr)));
    if (text_end == nullptr) text_end = end;
    auto text = static_cast<std::size_t>(text_end - buf);
    if (err == 0 && text > 0 && userfunc != nullptr &&
        userfunc(STDERR_FILENO, buf, text) != static_cast<ssize_t>(text))
      err = EIO;
    if (err != 0 || text_end == end) continue;
    char* status_at = have_null ? buf : text_end + 1;
    have_null = true;
    if (status_at == end) continue;  // the status byte comes in the next read
    int status = *status_at & 0xff;
    if (status_at + 1 != end || (status == 0) != (passed >= 0)) err = EBADMSG;
    else if (status != 0) err = status;
    else return passed;
  }
  if (passed >= 0) close(passed);
  errno = err;
  return -1;
}

int open_server(int fd) {
  std::string pending;  // bytes of the requests not answered yet
  char buf[OPEN_REQUEST_MAX];
  for (;;) {
    std::size_t null_at;
    while ((null_at = pending.find('\0')) != std::string::npos) {
      if (answer(fd, pending.substr(0, null_at)) < 0) return -1;
      pending.erase(0, null_at + 1);
    }
    if (pending.size() >= OPEN_REQUEST_MAX) {
      errno = EMSGSIZE;
      return -1;
    }
    ssize_t n = read(fd, buf, OPEN_REQUEST_MAX - pending.size());
    if (n < 0) return -1;
    if (n == 0) {
      if (pending.empty()) return 0;
      errno = EBADMSG;
      return -1;
    }
    pending.append(buf, static_cast<std::size_t>(n));
  }
}
