// Chapter 10 — compare: the reference solution. The contract is compare.hpp.
#include "compare.hpp"

#include <errno.h>
#include <fcntl.h>
#include <sys/msg.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <climits>
#include <cstring>
#include <memory>
#include <new>

namespace {

// Rows: KIND_*; columns: connectionless, reliable, flow control, records,
// message types. Linux differs from APUE's table in one cell: a UNIX
// datagram socket whose receiver lags makes the sender wait (flow control).
// The POSIX queue, which APUE's table predates, has priorities for types.
constexpr int kTable[KIND_COUNT][PROP_COUNT] = {
    {0, 1, 1, 0, 0},  // pipe, FIFO
    {0, 1, 1, 1, 1},  // XSI message queue
    {0, 1, 1, 0, 0},  // UNIX stream socket
    {1, 1, 1, 1, 0},  // UNIX datagram socket
    {0, 1, 1, 1, 0},  // UNIX seqpacket socket
    {0, 1, 1, 1, 1},  // POSIX message queue
};

bool kind_ok(int kind) { return kind >= 0 && kind < KIND_COUNT; }

// write() that raises no SIGPIPE on a socket.
ssize_t put(int fd, const void* buf, size_t n) {
  ssize_t rc = send(fd, buf, n, MSG_NOSIGNAL);
  return rc < 0 && errno == ENOTSOCK ? write(fd, buf, n) : rc;
}

// Sets O_NONBLOCK on @p fd, returning its old flags (-1 on error).
int make_nonblocking(int fd) {
  int flags = fcntl(fd, F_GETFL);
  if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) return -1;
  return flags;
}

// Restores @p flags on @p fd, keeping errno.
void restore_flags(int fd, int flags) {
  int saved = errno;
  fcntl(fd, F_SETFL, flags);
  errno = saved;
}

// Puts back the queue's flags as mq_setattr returned them, keeping errno.
void restore_mq_flags(mqd_t q, const mq_attr& old) {
  int saved = errno;
  mq_setattr(q, &old, nullptr);
  errno = saved;
}

// Reads exactly @p n bytes, restarting on EINTR and short reads.
ssize_t read_exactly(int fd, char* buf, size_t n) {
  size_t got = 0;
  while (got < n) {
    ssize_t rc = read(fd, buf + got, n - got);
    if (rc < 0 && errno == EINTR) continue;
    if (rc < 0) return -1;
    if (rc == 0) break;
    got += static_cast<size_t>(rc);
  }
  return static_cast<ssize_t>(got);
}

// The receiving side of probe_reliable: reads records until EAGAIN.
struct record_checker {
  int expected = 0;
  bool intact = true;
  // 0 when the channel is empty for now, -1 on a real error.
  int drain(int fd) {
    char rec[PROBE_RECORD_SIZE];
    for (;;) {
      ssize_t n = read(fd, rec, sizeof rec);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return errno == EAGAIN ? 0 : -1;
      if (n == 0) return 0;
      int number = -1;
      std::memcpy(&number, rec, sizeof number);
      if (n != PROBE_RECORD_SIZE || number != expected || rec[n - 1] != static_cast<char>(number))
        intact = false;
      ++expected;
    }
  }
};

int run_reliable(int wfd, int rfd, int count) {
  record_checker check;
  char rec[PROBE_RECORD_SIZE] = {};
  for (int i = 0; i < count;) {
    std::memcpy(rec, &i, sizeof i);
    rec[PROBE_RECORD_SIZE - 1] = static_cast<char>(i);
    ssize_t n = put(wfd, rec, sizeof rec);
    if (n == PROBE_RECORD_SIZE) {
      ++i;
    } else if (n < 0 && errno == EAGAIN) {
      if (check.drain(rfd) < 0) return -1;  // make room, then try again
    } else if (n < 0 && errno != EINTR) {
      return -1;
    } else if (n >= 0) {
      check.intact = false;  // a partial record: the numbering is lost
      ++i;
    }
  }
  if (check.drain(rfd) < 0) return -1;
  return check.intact && check.expected == count ? 1 : 0;
}

}  // namespace

int ipc_has(int kind, int property) {
  if (!kind_ok(kind) || property < 0 || property >= PROP_COUNT) {
    errno = EINVAL;
    return -1;
  }
  return kTable[kind][property];
}

int ipc_persistence(int kind) {
  if (!kind_ok(kind)) {
    errno = EINVAL;
    return -1;
  }
  return kind == KIND_XSI_MSGQ || kind == KIND_POSIX_MQ ? PERSIST_KERNEL : PERSIST_PROCESS;
}

int probe_keeps_records(int wfd, int rfd) {
  if (put(wfd, "abc", 3) != 3 || put(wfd, "defgh", 5) != 5) return -1;
  char buf[64];
  ssize_t first;
  while ((first = read(rfd, buf, sizeof buf)) < 0 && errno == EINTR) {
  }
  if (first < 0) return -1;
  if (first == 0) {
    errno = EIO;
    return -1;
  }
  // Take what is left of the 8 bytes, so nothing stays unread.
  ssize_t rest = read_exactly(rfd, buf + first, static_cast<size_t>(8 - first));
  if (rest < 0) return -1;
  if (first + rest != 8) {
    errno = EIO;
    return -1;
  }
  return first == 3 ? 1 : 0;
}

int probe_flow_control(int wfd) {
  int flags = make_nonblocking(wfd);
  if (flags < 0) return -1;
  static const char block[1024] = {};
  int answer = 0;
  for (long total = 0; total < PROBE_FLOW_LIMIT;) {
    ssize_t n = put(wfd, block, sizeof block);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) {
      answer = 1;
      break;
    }
    if (n < 0) {
      answer = -1;
      break;
    }
    total += n;
  }
  restore_flags(wfd, flags);
  return answer;
}

int probe_reliable(int wfd, int rfd, int count) {
  if (count < 1 || count > 1000000) {
    errno = EINVAL;
    return -1;
  }
  int wflags = make_nonblocking(wfd);
  if (wflags < 0) return -1;
  int rflags = make_nonblocking(rfd);
  if (rflags < 0) {
    restore_flags(wfd, wflags);
    return -1;
  }
  int answer = run_reliable(wfd, rfd, count);
  restore_flags(rfd, rflags);
  restore_flags(wfd, wflags);
  return answer;
}

int probe_connectionless(int sock, const char* peer_path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (peer_path == nullptr || peer_path[0] == '\0' || std::strlen(peer_path) >= sizeof addr.sun_path) {
    errno = EINVAL;
    return -1;
  }
  std::strcpy(addr.sun_path, peer_path);
  ssize_t n = sendto(sock, "x", 1, MSG_DONTWAIT | MSG_NOSIGNAL, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  if (n == 1) return 1;
  if (n < 0 && (errno == EOPNOTSUPP || errno == ENOTCONN)) return 0;
  return -1;
}

int probe_message_types(int msqid, int* order, int cap, int* taken) {
  if (order == nullptr || taken == nullptr || cap < 1) {
    errno = EINVAL;
    return -1;
  }
  *taken = 0;
  struct {
    long mtype;
    int number;
  } msg;
  int answer = 0;
  while (*taken < cap) {
    ssize_t n = msgrcv(msqid, &msg, sizeof msg.number, -LONG_MAX, IPC_NOWAIT);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == ENOMSG) break;  // empty
    if (n < 0) return -1;
    // Taken before one sent earlier: some number below it is still to come.
    for (int i = 0; i < *taken; ++i)
      if (order[i] > msg.number) answer = 1;
    order[(*taken)++] = msg.number;
  }
  return answer;
}

int probe_priorities(mqd_t q, int* order, int cap, int* taken) {
  if (order == nullptr || taken == nullptr || cap < 1) {
    errno = EINVAL;
    return -1;
  }
  mq_attr nonblocking{}, old{};
  nonblocking.mq_flags = O_NONBLOCK;
  if (mq_setattr(q, &nonblocking, &old) < 0) return -1;
  // mq_receive wants room for mq_msgsize bytes, however short the message.
  size_t room = static_cast<size_t>(old.mq_msgsize);
  std::unique_ptr<char[]> buf(new (std::nothrow) char[room]);
  *taken = 0;
  int answer = 0;
  if (!buf) {
    errno = ENOMEM;
    answer = -1;
  }
  while (answer >= 0 && *taken < cap) {
    ssize_t n = mq_receive(q, buf.get(), room, nullptr);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) break;  // empty
    if (n != static_cast<ssize_t>(sizeof(int))) {
      if (n >= 0) errno = EINVAL;
      answer = -1;
      break;
    }
    int number;
    std::memcpy(&number, buf.get(), sizeof number);
    for (int i = 0; i < *taken; ++i)
      if (order[i] > number) answer = 1;
    order[(*taken)++] = number;
  }
  restore_mq_flags(q, old);
  return answer;
}
