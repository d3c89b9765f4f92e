// Peer style: the table written as a switch per property, and probes that
// make a socket non-blocking per call (send/recv with MSG_DONTWAIT, as UNP
// does) so that its file status flags are never touched; only what is not
// a socket (a pipe, a FIFO, /dev/null) is switched to O_NONBLOCK with
// fcntl() and switched back. A record of probe_reliable carries its number
// in every one of its 64 bytes, and an overtaking message is one smaller
// than the largest number taken so far. Valid under compare.hpp: every
// probe's answer comes from the kernel's behaviour on the objects given,
// sockets never raise SIGPIPE, flags end as they began, nothing unread.
#include "compare.hpp"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/msg.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

namespace {

bool is_socket(int fd) {
  struct stat st;
  return fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode);
}

// A descriptor that may be made non-blocking for the probe: sockets per
// call, anything else through its file status flags (restored by done()).
struct channel {
  int fd;
  bool sock;
  int old_flags = -1;

  explicit channel(int d) : fd(d), sock(is_socket(d)) {}
  int start() {
    if (sock) return fcntl(fd, F_GETFD) == -1 ? -1 : 0;  // EBADF if closed
    old_flags = fcntl(fd, F_GETFL);
    if (old_flags == -1) return -1;
    return fcntl(fd, F_SETFL, old_flags | O_NONBLOCK);
  }
  void done() {
    if (old_flags == -1) return;
    int saved = errno;
    fcntl(fd, F_SETFL, old_flags);
    errno = saved;
  }
  ssize_t put(const void* p, size_t n) {
    for (;;) {
      ssize_t r = sock ? send(fd, p, n, MSG_DONTWAIT | MSG_NOSIGNAL) : write(fd, p, n);
      if (r != -1 || errno != EINTR) return r;
    }
  }
  ssize_t get(void* p, size_t n) {
    for (;;) {
      ssize_t r = sock ? recv(fd, p, n, MSG_DONTWAIT) : read(fd, p, n);
      if (r != -1 || errno != EINTR) return r;
    }
  }
};

// A blocking write that raises no SIGPIPE on a socket.
ssize_t put_blocking(int fd, const void* p, size_t n) {
  ssize_t r;
  do r = is_socket(fd) ? send(fd, p, n, MSG_NOSIGNAL) : write(fd, p, n);
  while (r == -1 && errno == EINTR);
  return r;
}

ssize_t get_blocking(int fd, void* p, size_t n) {
  ssize_t r;
  do r = read(fd, p, n);
  while (r == -1 && errno == EINTR);
  return r;
}

}  // namespace

int ipc_has(int kind, int property) {
  if (kind < 0 || kind >= KIND_COUNT) {
    errno = EINVAL;
    return -1;
  }
  switch (property) {
    case PROP_CONNECTIONLESS:
      return kind == KIND_UNIX_DGRAM;
    case PROP_RELIABLE:
    case PROP_FLOW_CONTROL:
      return 1;  // on Linux even a UNIX datagram sender waits for its receiver
    case PROP_RECORDS:
      return kind != KIND_PIPE && kind != KIND_UNIX_STREAM;
    case PROP_MSG_TYPES:
      return kind == KIND_XSI_MSGQ || kind == KIND_POSIX_MQ;
    default:
      errno = EINVAL;
      return -1;
  }
}

int ipc_persistence(int kind) {
  switch (kind) {
    case KIND_PIPE:
    case KIND_UNIX_STREAM:
    case KIND_UNIX_DGRAM:
    case KIND_UNIX_SEQPACKET:
      return PERSIST_PROCESS;
    case KIND_XSI_MSGQ:
    case KIND_POSIX_MQ:
      return PERSIST_KERNEL;
    default:
      errno = EINVAL;
      return -1;
  }
}

int probe_keeps_records(int wfd, int rfd) {
  static const char first_rec[] = "one";    // 3 bytes
  static const char second_rec[] = "three"; // 5 bytes
  if (put_blocking(wfd, first_rec, 3) != 3 || put_blocking(wfd, second_rec, 5) != 5) return -1;
  char buf[128];
  ssize_t first = get_blocking(rfd, buf, sizeof buf);
  if (first == -1) return -1;
  ssize_t total = first;
  while (first > 0 && total < 8) {
    ssize_t n = get_blocking(rfd, buf + total, sizeof buf - static_cast<size_t>(total));
    if (n == -1) return -1;
    if (n == 0) break;
    total += n;
  }
  if (total != 8) {
    errno = EIO;
    return -1;
  }
  return first == 3 ? 1 : 0;
}

int probe_flow_control(int wfd) {
  channel w(wfd);
  if (w.start() == -1) return -1;
  char block[1024];
  memset(block, 'f', sizeof block);
  int result = 0;
  long accepted = 0;
  while (accepted < PROBE_FLOW_LIMIT) {
    ssize_t n = w.put(block, sizeof block);
    if (n == -1) {
      result = errno == EAGAIN ? 1 : -1;
      break;
    }
    accepted += n;
  }
  w.done();
  return result;
}

namespace {

void fill_record(char* rec, int i) {
  memset(rec, static_cast<unsigned char>(i * 7 + 1), PROBE_RECORD_SIZE);
  memcpy(rec, &i, sizeof i);
}

bool record_is(const char* rec, int i) {
  char want[PROBE_RECORD_SIZE];
  fill_record(want, i);
  return memcmp(rec, want, PROBE_RECORD_SIZE) == 0;
}

// Reads every record there is now; false on an error other than EAGAIN.
bool drain(channel& r, int* next, bool* ok) {
  char rec[PROBE_RECORD_SIZE];
  for (;;) {
    ssize_t n = r.get(rec, sizeof rec);
    if (n == -1) return errno == EAGAIN;
    if (n == 0) return true;
    if (n != PROBE_RECORD_SIZE || !record_is(rec, *next)) *ok = false;
    ++*next;
  }
}

}  // namespace

int probe_reliable(int wfd, int rfd, int count) {
  if (count < 1 || count > 1000000) {
    errno = EINVAL;
    return -1;
  }
  channel w(wfd), r(rfd);
  if (w.start() == -1) return -1;
  if (r.start() == -1) {
    w.done();
    return -1;
  }
  int next = 0;
  bool ok = true;
  int result = 0;
  char rec[PROBE_RECORD_SIZE];
  for (int i = 0; i < count && result == 0;) {
    fill_record(rec, i);
    ssize_t n = w.put(rec, sizeof rec);
    if (n == PROBE_RECORD_SIZE) {
      ++i;
    } else if (n >= 0) {
      ok = false;  // a record cut short
      ++i;
    } else if (errno != EAGAIN || !drain(r, &next, &ok)) {
      result = -1;
    }
  }
  if (result == 0 && !drain(r, &next, &ok)) result = -1;
  if (result == 0) result = ok && next == count ? 1 : 0;
  r.done();
  w.done();
  return result;
}

int probe_connectionless(int sock, const char* peer_path) {
  struct sockaddr_un sun;
  memset(&sun, 0, sizeof sun);
  size_t len = peer_path == nullptr ? 0 : strlen(peer_path);
  if (len == 0 || len >= sizeof sun.sun_path) {
    errno = EINVAL;
    return -1;
  }
  sun.sun_family = AF_UNIX;
  memcpy(sun.sun_path, peer_path, len + 1);
  socklen_t alen = static_cast<socklen_t>(offsetof(struct sockaddr_un, sun_path) + len + 1);
  const char byte = '?';
  if (sendto(sock, &byte, 1, MSG_DONTWAIT | MSG_NOSIGNAL, reinterpret_cast<struct sockaddr*>(&sun), alen) == 1)
    return 1;
  return errno == EOPNOTSUPP || errno == ENOTCONN ? 0 : -1;
}

int probe_message_types(int msqid, int* order, int cap, int* taken) {
  if (order == nullptr || taken == nullptr || cap < 1) {
    errno = EINVAL;
    return -1;
  }
  *taken = 0;
  char* msg = static_cast<char*>(malloc(sizeof(long) + sizeof(int)));
  if (msg == nullptr) return -1;
  int highest = INT_MIN;
  int result = 0;
  while (*taken < cap) {
    ssize_t n = msgrcv(msqid, msg, sizeof(int), -LONG_MAX, IPC_NOWAIT);
    if (n == -1) {
      if (errno == EINTR) continue;
      if (errno != ENOMSG) result = -1;
      break;
    }
    int number;
    memcpy(&number, msg + sizeof(long), sizeof number);
    if (number < highest) result = 1;  // something sent later already came out
    if (number > highest) highest = number;
    order[(*taken)++] = number;
  }
  int saved = errno;
  free(msg);
  errno = saved;
  return result;
}

int probe_priorities(mqd_t q, int* order, int cap, int* taken) {
  if (order == nullptr || taken == nullptr || cap < 1) {
    errno = EINVAL;
    return -1;
  }
  struct mq_attr old;
  if (mq_getattr(q, &old) == -1) return -1;
  struct mq_attr nb = old;
  nb.mq_flags = old.mq_flags | O_NONBLOCK;
  if (mq_setattr(q, &nb, nullptr) == -1) return -1;
  *taken = 0;
  int result = 0;
  char* buf = static_cast<char*>(malloc(static_cast<size_t>(old.mq_msgsize)));
  if (buf == nullptr) {
    errno = ENOMEM;
    result = -1;
  }
  int highest = INT_MIN;
  while (result != -1 && *taken < cap) {
    ssize_t n = mq_receive(q, buf, static_cast<size_t>(old.mq_msgsize), nullptr);
    if (n == -1) {
      if (errno == EINTR) continue;
      if (errno != EAGAIN) result = -1;
      break;
    }
    if (n != static_cast<ssize_t>(sizeof(int))) {
      errno = EINVAL;
      result = -1;
      break;
    }
    int number;
    memcpy(&number, buf, sizeof number);
    if (number < highest) result = 1;
    if (number > highest) highest = number;
    order[(*taken)++] = number;
  }
  int saved = errno;
  free(buf);
  mq_setattr(q, &old, nullptr);
  errno = saved;
  return result;
}
