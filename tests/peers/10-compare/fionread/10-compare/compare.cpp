// Peer style: ask the kernel how much is waiting. The probes switch both
// ends to O_NONBLOCK with fcntl() (restored on every path by a small guard
// object); probe_keeps_records sizes its follow-up reads with
// ioctl(FIONREAD), which pipes and UNIX sockets both answer; probe_reliable
// checks every byte of each record, and the orders taken from the queues
// are judged after the fact by comparing every pair. The table is a list
// of the cells that are 1. Valid under compare.hpp: each answer comes from
// what the kernel does with the objects given, sockets are written with
// MSG_NOSIGNAL, flags come back as they were, nothing sent is left unread.
#include "compare.hpp"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/msg.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <vector>

namespace {

struct cell {
  int kind, property;
};

// Every cell of the table that holds 1 on Linux.
const cell kHas[] = {
    {KIND_PIPE, PROP_RELIABLE},           {KIND_PIPE, PROP_FLOW_CONTROL},
    {KIND_XSI_MSGQ, PROP_RELIABLE},       {KIND_XSI_MSGQ, PROP_FLOW_CONTROL},
    {KIND_XSI_MSGQ, PROP_RECORDS},        {KIND_XSI_MSGQ, PROP_MSG_TYPES},
    {KIND_UNIX_STREAM, PROP_RELIABLE},    {KIND_UNIX_STREAM, PROP_FLOW_CONTROL},
    {KIND_UNIX_DGRAM, PROP_CONNECTIONLESS}, {KIND_UNIX_DGRAM, PROP_RELIABLE},
    {KIND_UNIX_DGRAM, PROP_FLOW_CONTROL}, {KIND_UNIX_DGRAM, PROP_RECORDS},
    {KIND_UNIX_SEQPACKET, PROP_RELIABLE}, {KIND_UNIX_SEQPACKET, PROP_FLOW_CONTROL},
    {KIND_UNIX_SEQPACKET, PROP_RECORDS},  {KIND_POSIX_MQ, PROP_RELIABLE},
    {KIND_POSIX_MQ, PROP_FLOW_CONTROL},   {KIND_POSIX_MQ, PROP_RECORDS},
    {KIND_POSIX_MQ, PROP_MSG_TYPES},
};

// O_NONBLOCK on one descriptor while it lives; the old flags afterwards.
class nonblocking {
public:
  explicit nonblocking(int fd) : fd_(fd), old_(fcntl(fd, F_GETFL)) {
    if (old_ != -1 && fcntl(fd, F_SETFL, old_ | O_NONBLOCK) == -1) old_ = -1;
  }
  ~nonblocking() {
    if (old_ == -1) return;
    int saved = errno;
    fcntl(fd_, F_SETFL, old_);
    errno = saved;
  }
  nonblocking(const nonblocking&) = delete;
  nonblocking& operator=(const nonblocking&) = delete;
  bool ok() const { return old_ != -1; }

private:
  int fd_;
  int old_;
};

ssize_t send_some(int fd, const void* p, size_t n) {
  for (;;) {
    ssize_t r = send(fd, p, n, MSG_NOSIGNAL);
    if (r == -1 && errno == ENOTSOCK) r = write(fd, p, n);
    if (r != -1 || errno != EINTR) return r;
  }
}

ssize_t read_some(int fd, void* p, size_t n) {
  for (;;) {
    ssize_t r = read(fd, p, n);
    if (r != -1 || errno != EINTR) return r;
  }
}

// Bytes waiting on fd (for a datagram socket: the next datagram's size).
int waiting(int fd) {
  int n = 0;
  return ioctl(fd, FIONREAD, &n) == -1 ? -1 : n;
}

}  // namespace

int ipc_has(int kind, int property) {
  if (kind < 0 || kind >= KIND_COUNT || property < 0 || property >= PROP_COUNT) {
    errno = EINVAL;
    return -1;
  }
  for (const cell& c : kHas)
    if (c.kind == kind && c.property == property) return 1;
  return 0;
}

int ipc_persistence(int kind) {
  if (kind < 0 || kind >= KIND_COUNT) {
    errno = EINVAL;
    return -1;
  }
  return (kind == KIND_XSI_MSGQ || kind == KIND_POSIX_MQ) ? PERSIST_KERNEL : PERSIST_PROCESS;
}

int probe_keeps_records(int wfd, int rfd) {
  if (send_some(wfd, "12", 2) != 2 || send_some(wfd, "34567", 5) != 5) return -1;
  char buf[64];
  ssize_t first = read_some(rfd, buf, sizeof buf);
  if (first == -1) return -1;
  ssize_t total = first;
  while (total < 7 && first > 0) {
    int pending = waiting(rfd);
    size_t want = pending > 0 ? static_cast<size_t>(pending) : static_cast<size_t>(7 - total);
    if (want > static_cast<size_t>(7 - total)) want = static_cast<size_t>(7 - total);
    ssize_t n = read_some(rfd, buf, want);
    if (n == -1) return -1;
    if (n == 0) break;
    total += n;
  }
  if (total != 7) {
    errno = EIO;
    return -1;
  }
  return first == 2 ? 1 : 0;
}

int probe_flow_control(int wfd) {
  nonblocking nb(wfd);
  if (!nb.ok()) return -1;
  static const char chunk[1024] = {1};
  for (long sent = 0; sent < PROBE_FLOW_LIMIT;) {
    ssize_t n = send_some(wfd, chunk, sizeof chunk);
    if (n == -1) return errno == EAGAIN ? 1 : -1;
    sent += n;
  }
  return 0;
}

namespace {

// Reads every whole record waiting now; -1 on an error other than EAGAIN.
int collect(int rfd, int* next, bool* intact) {
  for (;;) {
    char rec[PROBE_RECORD_SIZE];
    ssize_t n = read_some(rfd, rec, sizeof rec);
    if (n == -1) return errno == EAGAIN ? 0 : -1;
    if (n == 0) return 0;
    int number;
    memcpy(&number, rec, sizeof number);
    if (n != PROBE_RECORD_SIZE || number != *next) *intact = false;
    for (ssize_t i = static_cast<ssize_t>(sizeof number); i < n; ++i)
      if (rec[i] != static_cast<char>(number ^ 0x5a)) *intact = false;
    ++*next;
  }
}

}  // namespace

int probe_reliable(int wfd, int rfd, int count) {
  if (count < 1 || count > 1000000) {
    errno = EINVAL;
    return -1;
  }
  nonblocking wnb(wfd);
  if (!wnb.ok()) return -1;
  nonblocking rnb(rfd);
  if (!rnb.ok()) return -1;
  int next = 0;
  bool intact = true;
  char rec[PROBE_RECORD_SIZE];
  for (int i = 0; i < count;) {
    memset(rec, static_cast<char>(i ^ 0x5a), sizeof rec);
    memcpy(rec, &i, sizeof i);
    ssize_t n = send_some(wfd, rec, sizeof rec);
    if (n == -1 && errno != EAGAIN) return -1;
    if (n >= 0) {
      if (n != PROBE_RECORD_SIZE) intact = false;
      ++i;
    } else if (collect(rfd, &next, &intact) == -1) {  // full: make room
      return -1;
    }
  }
  if (collect(rfd, &next, &intact) == -1) return -1;
  return intact && next == count ? 1 : 0;
}

int probe_connectionless(int sock, const char* peer_path) {
  struct sockaddr_un to {};
  to.sun_family = AF_UNIX;
  if (peer_path == nullptr || *peer_path == '\0' || strlen(peer_path) >= sizeof to.sun_path) {
    errno = EINVAL;
    return -1;
  }
  strncpy(to.sun_path, peer_path, sizeof to.sun_path - 1);
  ssize_t n = sendto(sock, "!", 1, MSG_DONTWAIT | MSG_NOSIGNAL, reinterpret_cast<const struct sockaddr*>(&to),
                     sizeof to);
  if (n == 1) return 1;
  if (errno == EOPNOTSUPP || errno == ENOTCONN) return 0;
  return -1;
}

int probe_message_types(int msqid, int* order, int cap, int* taken) {
  if (order == nullptr || taken == nullptr || cap < 1) {
    errno = EINVAL;
    return -1;
  }
  struct {
    long type;
    int seq;
  } m;
  *taken = 0;
  for (;;) {
    if (*taken == cap) break;
    if (msgrcv(msqid, &m, sizeof m.seq, -LONG_MAX, IPC_NOWAIT) == -1) {
      if (errno == EINTR) continue;
      if (errno == ENOMSG) break;
      return -1;
    }
    order[(*taken)++] = m.seq;
  }
  for (int i = 1; i < *taken; ++i)
    for (int j = 0; j < i; ++j)
      if (order[j] > order[i]) return 1;
  return 0;
}

int probe_priorities(mqd_t q, int* order, int cap, int* taken) {
  if (order == nullptr || taken == nullptr || cap < 1) {
    errno = EINVAL;
    return -1;
  }
  struct mq_attr want {}, old {};
  want.mq_flags = O_NONBLOCK;
  if (mq_setattr(q, &want, &old) == -1) return -1;
  std::vector<char> buf;
  int result = 0;
  *taken = 0;
  try {
    buf.resize(static_cast<size_t>(old.mq_msgsize));
  } catch (...) {
    errno = ENOMEM;
    result = -1;
  }
  while (result == 0 && *taken < cap) {
    ssize_t n = mq_receive(q, buf.data(), buf.size(), nullptr);
    if (n == -1 && errno == EINTR) continue;
    if (n == -1) {
      if (errno != EAGAIN) result = -1;
      break;
    }
    if (n != static_cast<ssize_t>(sizeof(int))) {
      errno = EINVAL;
      result = -1;
      break;
    }
    memcpy(&order[*taken], buf.data(), sizeof(int));
    ++*taken;
  }
  for (int i = 1; result == 0 && i < *taken; ++i)
    for (int j = 0; j < i; ++j)
      if (order[j] > order[i]) result = 1;
  int saved = errno;
  mq_setattr(q, &old, nullptr);
  errno = saved;
  return result;
}
