// Chapter 10 — compare: the graded tests. Each TEST_CASE carries its points.
//
// The table (ipc_has, ipc_persistence) is checked against the kernel, not
// against the book: trusted observations written here run live in the call
// and say what this machine does. The probes are then run on objects where
// the right answer differs, so a probe that answers a constant fails.
// Paths live in the call's private /tmp and are removed by the body.
#include <fcntl.h>
#include <mqueue.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/msg.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "compare.hpp"
#include "ipclab/die.hpp"
#include "ipclab/expect.hpp"
#include "ipclab/sandbox.hpp"

namespace sandbox = ipclab::sandbox;
namespace expect = ipclab::expect;
using namespace std::chrono_literals;

namespace {

const char* const kind_name[KIND_COUNT] = {"a pipe",
                                           "an XSI message queue",
                                           "a UNIX stream socket",
                                           "a UNIX datagram socket",
                                           "a UNIX seqpacket socket",
                                           "a POSIX message queue"};
const char* const property_name[PROP_COUNT] = {"connectionless", "reliable", "flow control",
                                               "record boundaries", "message types"};
const char* const persistence_name[] = {"PERSIST_PROCESS", "PERSIST_KERNEL", "PERSIST_FILESYSTEM"};

/// "rc errno-name", the way the tests report a call.
std::string outcome(long rc, int err) {
  return std::to_string(rc) + (rc < 0 ? std::string(" ") + ipclab::errno_name(err) : "");
}

[[noreturn]] void setup_failed(const std::string& what) {
  throw std::runtime_error("test setup: " + what + ": " + ipclab::errno_name(errno));
}

int sock_type(int kind) {
  return kind == KIND_UNIX_STREAM ? SOCK_STREAM : kind == KIND_UNIX_DGRAM ? SOCK_DGRAM : SOCK_SEQPACKET;
}

/// A name of this call's own for a POSIX queue: "/ipclab-cmp-<what>.<pid>".
std::string queue_name(const std::string& what) { return "/ipclab-cmp-" + what + "." + std::to_string(getpid()); }

/// A new POSIX queue of 10 messages of 1024 bytes whose name is already
/// removed (the descriptor is all the test needs).
mqd_t nameless_queue(int flags) {
  std::string name = queue_name("q");
  mq_attr attr{};
  attr.mq_maxmsg = 10;
  attr.mq_msgsize = 1024;
  mqd_t mq = mq_open(name.c_str(), O_CREAT | O_EXCL | O_RDWR | flags, 0600, &attr);
  if (mq == static_cast<mqd_t>(-1)) setup_failed("mq_open");
  mq_unlink(name.c_str());
  return mq;
}

/// A trusted channel of one kind, non-blocking at both ends.
struct channel {
  int w = -1, r = -1, q = -1;
  mqd_t mq = static_cast<mqd_t>(-1);
  explicit channel(int kind) {
    int p[2];
    if (kind == KIND_XSI_MSGQ) {
      if ((q = msgget(IPC_PRIVATE, IPC_CREAT | 0600)) < 0) setup_failed("msgget");
      return;
    }
    if (kind == KIND_POSIX_MQ) {
      mq = nameless_queue(O_NONBLOCK);
      return;
    }
    int rc = kind == KIND_PIPE ? pipe2(p, O_NONBLOCK) : socketpair(AF_UNIX, sock_type(kind) | SOCK_NONBLOCK, 0, p);
    if (rc < 0) setup_failed("pipe/socketpair");
    r = p[0];
    w = p[1];
  }
  ~channel() {
    if (q >= 0) msgctl(q, IPC_RMID, nullptr);
    if (mq != static_cast<mqd_t>(-1)) mq_close(mq);
    if (w >= 0) close(w);
    if (r >= 0) close(r);
  }
  channel(const channel&) = delete;
  channel& operator=(const channel&) = delete;
  /// True when all @p n bytes went as one send; false when it would block.
  /// A POSIX queue gets priority 10 - @p type: the smaller type goes first.
  bool put(const void* p, std::size_t n, long type = 1) {
    if (mq != static_cast<mqd_t>(-1)) return mq_send(mq, static_cast<const char*>(p), n, static_cast<unsigned>(10 - type)) == 0;
    if (q < 0) return write(w, p, n) == static_cast<ssize_t>(n);
    struct { long mtype; char text[1024]; } m{type, {}};
    std::memcpy(m.text, p, n);
    return msgsnd(q, &m, n, IPC_NOWAIT) == 0;
  }
  /// One receive of at most @p cap bytes (XSI: of type @p type); -1 when empty.
  ssize_t get(void* p, std::size_t cap, long type = 0) {
    if (mq != static_cast<mqd_t>(-1)) {
      char m[1024];  // mq_receive wants room for mq_msgsize bytes
      ssize_t n = mq_receive(mq, m, sizeof m, nullptr);
      if (n > 0) std::memcpy(p, m, std::min(static_cast<std::size_t>(n), cap));
      return n;
    }
    if (q < 0) return read(r, p, cap);
    struct { long mtype; char text[1024]; } m{};
    ssize_t n = msgrcv(q, &m, cap, type, IPC_NOWAIT | MSG_NOERROR);
    if (n > 0) std::memcpy(p, m.text, static_cast<std::size_t>(n));
    return n;
  }
};

/// What the machine did, and in words.
struct observation {
  int has;
  std::string seen;
};

observation observe_records(channel& ch) {
  char buf[64];
  ch.put("abc", 3);
  ch.put("defgh", 5);
  ssize_t n = ch.get(buf, sizeof buf);
  return {n == 3, "after sends of 3 and 5 bytes, one receive with room for 64 returned " + std::to_string(n) +
                      " bytes"};
}

observation observe_flow(channel& ch) {
  const char block[1024] = {};
  long total = 0;
  while (total < PROBE_FLOW_LIMIT && ch.put(block, sizeof block)) total += sizeof block;
  if (total < PROBE_FLOW_LIMIT)
    return {1, "a sender whose receiver reads nothing was held back (EAGAIN) after " + std::to_string(total) +
                   " bytes"};
  return {0, "16 MiB were accepted from a sender whose receiver reads nothing"};
}

observation observe_reliable(channel& ch) {
  const int count = 2000;
  int next = 0, expected = 0;
  bool in_order = true;
  auto drain = [&] {
    for (int got; ch.get(&got, sizeof got) == static_cast<ssize_t>(sizeof got); ++expected)
      if (got != expected) in_order = false;
  };
  while (next < count) {
    if (ch.put(&next, sizeof next)) ++next;
    else drain();
  }
  drain();
  bool ok = in_order && expected == count;
  return {ok, std::to_string(count) + " numbered messages sent faster than they were read: " +
                  (ok ? "all arrived, once each, in order" : std::to_string(expected) + " arrived")};
}

observation observe_types(channel& ch, int kind) {
  ch.put("B", 1, 2);  // sent first, type 2
  ch.put("A", 1, 1);  // sent second, type 1
  char c = '?';
  ch.get(&c, 1, 1);
  if (kind == KIND_XSI_MSGQ && c == 'A') return {1, "msgrcv(type 1) took the message sent second, before the first one"};
  if (kind == KIND_POSIX_MQ && c == 'A')
    return {1, "mq_receive took the message sent second, of a higher priority, before the first one"};
  return {0, std::string("a receive takes what came first (it returned \"") + c +
                 "\"): there is no way to ask for a later message"};
}

/// Binds a socket of @p type at @p path (listening if it needs connections).
int bound_socket(int type, const char* path) {
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  std::strcpy(a.sun_path, path);
  int s = socket(AF_UNIX, type, 0);
  if (s < 0 || bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) < 0 || (type != SOCK_DGRAM && listen(s, 4) < 0))
    setup_failed(std::string("bind ") + path);
  return s;
}

int send_to_path(int sock, const char* path) {
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  std::strcpy(a.sun_path, path);
  return static_cast<int>(sendto(sock, "x", 1, MSG_DONTWAIT | MSG_NOSIGNAL, reinterpret_cast<sockaddr*>(&a), sizeof a));
}

observation observe_connectionless(int kind) {
  if (kind == KIND_PIPE) {
    if (mkfifo("/tmp/cmp.fifo", 0600) < 0) setup_failed("mkfifo");
    int fd = open("/tmp/cmp.fifo", O_WRONLY | O_NONBLOCK);
    int err = errno;
    if (fd >= 0) close(fd);
    unlink("/tmp/cmp.fifo");
    return {fd >= 0, fd >= 0 ? "a FIFO opened for writing with nobody reading"
                             : std::string("a writer must open() the FIFO first, and that fails (") +
                                   ipclab::errno_name(err) + ") while no reader has it open"};
  }
  if (kind == KIND_POSIX_MQ) {
    mqd_t mq = mq_open(queue_name("nobody").c_str(), O_WRONLY);
    int err = errno;
    if (mq != static_cast<mqd_t>(-1)) mq_close(mq);
    return {0, std::string("nothing can be sent to a name: mq_send needs mq_open's descriptor, and mq_open of a "
                           "name no queue has fails with ") +
                   ipclab::errno_name(err)};
  }
  if (kind == KIND_XSI_MSGQ) {
    int id = msgget(0x10c0ffee, 0600);
    int err = errno;
    if (id >= 0) msgctl(id, IPC_RMID, nullptr);
    return {0, std::string("nothing can be sent to a key: the sender needs msgget()'s identifier, and "
                           "msgget() without IPC_CREAT on an unused key fails with ") +
                   ipclab::errno_name(err)};
  }
  int peer = bound_socket(sock_type(kind), "/tmp/cmp.peer");
  int s = socket(AF_UNIX, sock_type(kind), 0);
  int rc = send_to_path(s, "/tmp/cmp.peer");
  int err = errno;
  close(s);
  close(peer);
  unlink("/tmp/cmp.peer");
  return {rc == 1, rc == 1 ? "sendto() an address, without connect(), delivered the byte"
                           : std::string("sendto() an address without connect() failed with ") +
                                 ipclab::errno_name(err)};
}

observation observe(int kind, int property) {
  if (property == PROP_CONNECTIONLESS) return observe_connectionless(kind);
  channel ch(kind);
  switch (property) {
    case PROP_RELIABLE: return observe_reliable(ch);
    case PROP_FLOW_CONTROL: return observe_flow(ch);
    case PROP_RECORDS: return observe_records(ch);
    default: return observe_types(ch, kind);
  }
}

int wait_child(pid_t pid) {
  int st = 0;
  while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
  }
  return st;
}

/// Runs @p fn in a child that then exits: the object it made has no process left.
template <class F>
void in_a_process_that_exits(F fn) {
  pid_t pid = fork();
  if (pid < 0) setup_failed("fork");
  if (pid == 0) {
    bool ok = false;
    try {
      ok = fn();
    } catch (...) {  // never unwind into the harness from a forked helper
    }
    _exit(ok ? 0 : 1);
  }
  if (wait_child(pid) != 0) setup_failed("the helper process");
}

observation observe_persistence(int kind) {
  if (kind == KIND_POSIX_MQ) {
    std::string name = queue_name("persist");
    in_a_process_that_exits([&] {
      mqd_t mq = mq_open(name.c_str(), O_CREAT | O_EXCL | O_WRONLY, 0600, nullptr);
      return mq != static_cast<mqd_t>(-1) && mq_send(mq, "q", 1, 0) == 0;  // exits without mq_close
    });
    mqd_t mq = mq_open(name.c_str(), O_RDONLY | O_NONBLOCK);
    mq_attr attr{};
    bool kept = mq != static_cast<mqd_t>(-1) && mq_getattr(mq, &attr) == 0 && attr.mq_curmsgs == 1;
    if (mq != static_cast<mqd_t>(-1)) mq_close(mq);
    mq_unlink(name.c_str());
    return {kept ? PERSIST_KERNEL : PERSIST_PROCESS,
            kept ? "a message sent by a process that has exited was still on the queue, found by its name"
                 : "the queue's message was gone once its process had exited"};
  }
  if (kind == KIND_XSI_MSGQ) {
    const key_t key = 0x10ca7;
    in_a_process_that_exits([&] {
      int id = msgget(key, IPC_CREAT | IPC_EXCL | 0600);
      long m[2] = {1, 42};
      return id >= 0 && msgsnd(id, m, sizeof m[1], 0) == 0;
    });
    int id = msgget(key, 0600);
    long m[2] = {};
    bool kept = id >= 0 && msgrcv(id, m, sizeof m[1], 0, IPC_NOWAIT) > 0 && m[1] == 42;
    if (id >= 0) msgctl(id, IPC_RMID, nullptr);
    return {kept ? PERSIST_KERNEL : PERSIST_PROCESS,
            kept ? "a message sent by a process that has exited was still on the queue"
                 : "the queue's message was gone once its process had exited"};
  }
  if (kind == KIND_PIPE) {
    if (mkfifo("/tmp/cmp.fifo", 0600) < 0) setup_failed("mkfifo");
    in_a_process_that_exits([] {
      int fd = open("/tmp/cmp.fifo", O_RDWR);
      return fd >= 0 && write(fd, "x", 1) == 1;
    });
    int fd = open("/tmp/cmp.fifo", O_RDWR | O_NONBLOCK);
    char c;
    bool kept = fd >= 0 && read(fd, &c, 1) == 1;
    if (fd >= 0) close(fd);
    unlink("/tmp/cmp.fifo");
    return {kept ? PERSIST_KERNEL : PERSIST_PROCESS,
            kept ? "a byte written to a FIFO by a process that has exited was still there"
                 : "a byte written to a FIFO by a process that has exited was gone (the FIFO's name stays in "
                   "the file system, its data does not)"};
  }
  in_a_process_that_exits([&] { return bound_socket(sock_type(kind), "/tmp/cmp.sock") >= 0; });
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  std::strcpy(a.sun_path, "/tmp/cmp.sock");
  int s = socket(AF_UNIX, sock_type(kind), 0);
  int rc = connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
  int err = errno;
  close(s);
  unlink("/tmp/cmp.sock");
  return {rc == 0 ? PERSIST_KERNEL : PERSIST_PROCESS,
          rc == 0 ? "a socket bound by a process that has exited still took a connection"
                  : std::string("the socket died with the process that bound it: its name stayed in /tmp, but "
                                "connect() to it failed with ") +
                        ipclab::errno_name(err)};
}

/// Splits "a\tb\tc".
std::vector<std::string> fields(const std::string& line) {
  std::vector<std::string> out;
  for (std::size_t at = 0, tab;; at = tab + 1) {
    tab = line.find('\t', at);
    out.push_back(line.substr(at, tab - at));
    if (tab == std::string::npos) return out;
  }
}

/// Checks the cells the call reported as "student\tobserved\twords".
void check_cells(const sandbox::result& r, const std::string& column, const char* const* names) {
  expect::returned(r);
  if (!r.returned()) return;
  CHECK(r.messages.size() == KIND_COUNT);
  for (std::size_t k = 0; k < r.messages.size() && k < KIND_COUNT; ++k) {
    auto f = fields(r.messages[k]);
    std::string answer = names != nullptr ? names[std::stoi(f[1])] : f[1];
    expect::equal(f[0], f[1],
                  std::string(kind_name[k]) + ", " + column + ": the answer on this machine is " + answer + ": " +
                      f[2] + " (APUE 15.6.4's table, 15.12; where Linux and the book differ, Linux wins)");
  }
}

sandbox::result run_column(int property) {
  return sandbox::call(
      [property](sandbox::child& c) -> long {
        for (int k = 0; k < KIND_COUNT; ++k) {
          observation o = observe(k, property);
          errno = 0;
          int rc = STUDENT(ipc_has)(k, property);
          c.send(outcome(rc, errno) + "\t" + std::to_string(o.has) + "\t" + o.seen);
        }
        return 0;
      },
      {.wall = 10s});
}

void check_column(int property) {
  auto r = run_column(property);
  check_cells(r, property_name[property], nullptr);
  expect::clean(r);
}

// ---- the probes' objects ----------------------------------------------------

/// A pipe or socket pair for a probe: w is written, r is read.
struct pair_of_fds {
  int w = -1, r = -1;
  explicit pair_of_fds(int kind) {
    int p[2];
    int rc = kind == KIND_PIPE ? pipe(p) : socketpair(AF_UNIX, sock_type(kind), 0, p);
    if (rc < 0) setup_failed("pipe/socketpair");
    r = p[0];
    w = p[1];
  }
  pair_of_fds(int wfd, int rfd) : w(wfd), r(rfd) {}
  ~pair_of_fds() {
    close(w);
    close(r);
  }
  pair_of_fds(const pair_of_fds&) = delete;
  pair_of_fds& operator=(const pair_of_fds&) = delete;
};

/// How the probe left @p fd: "" when open with @p flags and (if @p empty)
/// nothing to read, else what changed.
std::string left_behind(int fd, int flags, bool empty) {
  int now = fcntl(fd, F_GETFL);
  if (now < 0) return "; it closed a descriptor it was given";
  std::string text;
  if ((now & O_NONBLOCK) != (flags & O_NONBLOCK))
    text += (now & O_NONBLOCK) != 0 ? "; it left O_NONBLOCK set" : "; it cleared O_NONBLOCK";
  pollfd p{fd, POLLIN, 0};
  if (empty && poll(&p, 1, 0) == 1 && (p.revents & POLLIN) != 0) text += "; it left data unread";
  return text;
}

/// Runs @p probe on a fresh pair of @p kind: "rc[ errno][; what it left]".
template <class Probe>
std::string on_pair(int kind, Probe probe, bool drains = true) {
  pair_of_fds p(kind);
  int wf = fcntl(p.w, F_GETFL), rf = fcntl(p.r, F_GETFL);
  errno = 0;
  long rc = probe(p.w, p.r);
  std::string line = outcome(rc, errno);
  return line + left_behind(p.w, wf, false) + left_behind(p.r, rf, drains);
}

/// A connected UDP pair over loopback whose receiver has a tiny buffer, or
/// {-1, -1} when this machine has no loopback.
std::pair<int, int> lossy_udp() {
  int rx = socket(AF_INET, SOCK_DGRAM, 0), tx = socket(AF_INET, SOCK_DGRAM, 0);
  int small = 2048;
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  if (rx < 0 || tx < 0 || setsockopt(rx, SOL_SOCKET, SO_RCVBUF, &small, sizeof small) < 0 ||
      bind(rx, reinterpret_cast<sockaddr*>(&a), sizeof a) < 0 ||
      getsockname(rx, reinterpret_cast<sockaddr*>(&a), &len) < 0 ||
      connect(tx, reinterpret_cast<sockaddr*>(&a), sizeof a) < 0) {
    if (rx >= 0) close(rx);
    if (tx >= 0) close(tx);
    return {-1, -1};
  }
  return {tx, rx};
}

/// A private queue holding one int message per type in @p types, numbered
/// in sending order.
int queue_of(const std::vector<long>& types) {
  int q = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
  if (q < 0) setup_failed("msgget");
  int number = 0;
  for (long t : types) {
    struct { long mtype; int n; } m{t, number++};
    if (msgsnd(q, &m, sizeof m.n, 0) < 0) setup_failed("msgsnd");
  }
  return q;
}

/// Runs the student's probe_priorities on a POSIX queue holding one int
/// message per priority in @p prios, numbered in sending order, opened with
/// @p flags: "rc taken=N order=a b c left=M flags".
std::string priorities_run(const std::vector<unsigned>& prios, int cap, int flags = 0) {
  mqd_t q = nameless_queue(flags);
  int number = 0;
  for (unsigned prio : prios) {
    if (mq_send(q, reinterpret_cast<const char*>(&number), sizeof number, prio) < 0) setup_failed("mq_send");
    ++number;
  }
  std::vector<int> order(static_cast<std::size_t>(cap) + 1, -1);
  int taken = -1;
  errno = 0;
  int rc = STUDENT(probe_priorities)(q, order.data(), cap, &taken);
  std::string line = outcome(rc, errno) + " taken=" + std::to_string(taken) + " order=";
  for (int i = 0; i < taken && i < cap; ++i) line += (i > 0 ? " " : "") + std::to_string(order[static_cast<std::size_t>(i)]);
  mq_attr attr{};
  mq_getattr(q, &attr);
  mq_close(q);
  return line + " left=" + std::to_string(attr.mq_curmsgs) +
         ((attr.mq_flags & O_NONBLOCK) != (flags & O_NONBLOCK) ? " flags changed" : " flags as found");
}

/// Runs the student's probe_message_types on @p types with room @p cap:
/// "rc taken=N order=a b c left=M".
std::string types_run(const std::vector<long>& types, int cap) {
  int q = queue_of(types);
  std::vector<int> order(static_cast<std::size_t>(cap) + 1, -1);
  int taken = -1;
  errno = 0;
  int rc = STUDENT(probe_message_types)(q, order.data(), cap, &taken);
  std::string line = outcome(rc, errno) + " taken=" + std::to_string(taken) + " order=";
  for (int i = 0; i < taken && i < cap; ++i) line += (i > 0 ? " " : "") + std::to_string(order[static_cast<std::size_t>(i)]);
  msqid_ds ds{};
  msgctl(q, IPC_STAT, &ds);
  msgctl(q, IPC_RMID, nullptr);
  return line + " left=" + std::to_string(ds.msg_qnum);
}

}  // namespace

TEST_CASE("the table's record-boundaries column matches what this kernel does", "[table][pts=2]") {
  check_column(PROP_RECORDS);
}

TEST_CASE("the table's flow-control column matches what this kernel does", "[table][pts=2]") {
  check_column(PROP_FLOW_CONTROL);
}

TEST_CASE("the table's reliable column matches what this kernel does", "[table][pts=2]") {
  check_column(PROP_RELIABLE);
}

TEST_CASE("the table's connectionless column matches what this kernel does", "[table][pts=2]") {
  check_column(PROP_CONNECTIONLESS);
}

TEST_CASE("the table's message-types column matches what this kernel does", "[table][pts=2]") {
  check_column(PROP_MSG_TYPES);
}

TEST_CASE("ipc_persistence matches how long each kind's data outlives its processes", "[table][pts=2]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    for (int k = 0; k < KIND_COUNT; ++k) {
      observation o = observe_persistence(k);
      errno = 0;
      int rc = STUDENT(ipc_persistence)(k);
      c.send(outcome(rc, errno) + "\t" + std::to_string(o.has) + "\t" + o.seen);
    }
    return 0;
  });
  check_cells(r, "persistence", persistence_name);
  expect::clean(r);
}

TEST_CASE("ipc_has and ipc_persistence refuse kinds and properties out of range with EINVAL",
          "[table][errors][pts=1]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    const int cells[][2] = {{KIND_COUNT, 0}, {-1, 0}, {0, PROP_COUNT}, {0, -1}};
    for (const auto& cell : cells) {
      errno = 0;
      int rc = STUDENT(ipc_has)(cell[0], cell[1]);
      c.send(outcome(rc, errno));
    }
    for (int kind : {-1, static_cast<int>(KIND_COUNT)}) {
      errno = 0;
      int rc = STUDENT(ipc_persistence)(kind);
      c.send(outcome(rc, errno));
    }
    return 0;
  });
  expect::messages(r, std::vector<std::string>(6, "-1 EINVAL"),
                   {"ipc_has(KIND_COUNT, 0): KIND_COUNT counts the kinds, it is not one",
                    "ipc_has(-1, 0): a negative kind", "ipc_has(0, PROP_COUNT): PROP_COUNT is not a property",
                    "ipc_has(0, -1): a negative property", "ipc_persistence(-1)", "ipc_persistence(KIND_COUNT)"});
}

TEST_CASE("probe_keeps_records tells datagrams from byte streams, and leaves nothing unread",
          "[probe_keeps_records][pts=3]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    for (int kind : {KIND_PIPE, KIND_UNIX_STREAM, KIND_UNIX_DGRAM, KIND_UNIX_SEQPACKET})
      c.send(on_pair(kind, [](int w, int rd) { return STUDENT(probe_keeps_records)(w, rd); }));
    return 0;
  });
  expect::messages(r, {"0", "0", "1", "1"},
                   {"a pipe is a byte stream: two writes are read back as one (APUE 15.2)",
                    "a SOCK_STREAM socket pair is a byte stream too (APUE 17.2)",
                    "a SOCK_DGRAM socket pair keeps each send as one datagram (APUE 16.2, 17.2)",
                    "a SOCK_SEQPACKET socket pair keeps records, like datagrams, on a connection"});
  expect::clean(r);
}

TEST_CASE("probe_flow_control sees a full pipe or socket push back, and /dev/null never does",
          "[probe_flow_control][pts=3]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    auto probe = [](int w, int) { return STUDENT(probe_flow_control)(w); };
    for (int kind : {KIND_PIPE, KIND_UNIX_STREAM, KIND_UNIX_DGRAM}) {
      pair_of_fds p(kind);
      int flags = fcntl(p.w, F_GETFL);
      errno = 0;
      long rc = probe(p.w, p.r);
      int queued = 0;
      ioctl(p.r, FIONREAD, &queued);
      c.send(outcome(rc, errno) + left_behind(p.w, flags, false) + (queued > 0 ? "" : "; nothing was written"));
    }
    int null_fd = open("/dev/null", O_WRONLY);
    int flags = fcntl(null_fd, F_GETFL);
    errno = 0;
    long rc = probe(null_fd, -1);
    c.send(outcome(rc, errno) + left_behind(null_fd, flags, false));
    close(null_fd);
    return 0;
  }, {.wall = 15s});
  expect::messages(r, {"1", "1", "1", "0"},
                   {"a pipe holds a limited amount (64 KiB on Linux): a writer that gets ahead is held back, "
                    "EAGAIN in non-blocking mode (APUE 15.2); restore the flags you changed",
                    "a stream socket's buffers fill up too: the writer is held back",
                    "on Linux a datagram socket pair pushes back as well: its sender waits while the receiver's "
                    "datagrams are unread (APUE's table says no; the machine says yes)",
                    "/dev/null accepts everything: PROBE_FLOW_LIMIT bytes go through without EAGAIN, so the "
                    "answer is 0; did the probe stop at the limit?"});
  expect::clean(r);
}

TEST_CASE("probe_flow_control puts back O_NONBLOCK exactly as it found it", "[probe_flow_control][pts=1]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    int p[2];
    if (pipe2(p, O_NONBLOCK) < 0) return -2;
    errno = 0;
    long rc = STUDENT(probe_flow_control)(p[1]);
    int queued = 0;
    ioctl(p[0], FIONREAD, &queued);
    c.send(outcome(rc, errno) +
           ((fcntl(p[1], F_GETFL) & O_NONBLOCK) != 0 ? "; still non-blocking" : "; O_NONBLOCK was cleared") +
           (queued > 0 ? "" : "; nothing was written to the pipe"));
    close(p[0]);
    close(p[1]);
    return 0;
  });
  expect::messages(r, {"1; still non-blocking"},
                   {"a descriptor that came non-blocking must leave non-blocking: save F_GETFL's flags and "
                    "set exactly those back; and the probe must really fill the pipe (APUE 15.2)"});
  expect::clean(r);
}

TEST_CASE("probe_reliable sees every record arrive on pipes and UNIX sockets, and none through /dev/null",
          "[probe_reliable][pts=3]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    auto probe = [](int w, int rd) { return STUDENT(probe_reliable)(w, rd, 3000); };
    for (int kind : {KIND_PIPE, KIND_UNIX_STREAM, KIND_UNIX_DGRAM, KIND_UNIX_SEQPACKET})
      c.send(on_pair(kind, probe));
    int p[2];
    if (pipe(p) < 0) return -2;
    pair_of_fds lossy(open("/dev/null", O_WRONLY), p[0]);  // what is written never arrives
    int wf = fcntl(lossy.w, F_GETFL), rf = fcntl(lossy.r, F_GETFL);
    errno = 0;
    long rc = probe(lossy.w, lossy.r);
    c.send(outcome(rc, errno) + left_behind(lossy.w, wf, false) + left_behind(lossy.r, rf, true));
    close(p[1]);
    auto [tx, rx] = lossy_udp();
    if (tx >= 0) {
      pair_of_fds udp(tx, rx);
      errno = 0;
      rc = probe(udp.w, udp.r);
      c.send("udp " + outcome(rc, errno));
    }
    return 0;
  }, {.wall = 15s});
  std::vector<std::string> want = {"1", "1", "1", "1", "0"};
  std::vector<std::string> why = {
      "3000 records do not fit in a pipe: write until EAGAIN, read what arrived, go on; every record "
      "arrives in order (APUE 15.2)",
      "a stream socket pair delivers every byte in order",
      "a UNIX datagram socket pair is reliable: a full receiver holds the sender back, it drops nothing",
      "a seqpacket socket pair is reliable and ordered",
      "written to /dev/null and read from an empty pipe, nothing arrives: a probe that answers 1 here "
      "did not look at what it read; it must not block either (O_NONBLOCK on both ends)"};
  if (r.messages.size() == 6) {
    want.push_back("udp 0");
    why.push_back("UDP over loopback drops datagrams when the receiver's buffer is full, and only then: "
                  "probe_reliable must fill the channel until write fails with EAGAIN before reading (a probe that "
                  "reads after every write never lets the buffer fill), then notice the missing records (a network "
                  "datagram socket is not reliable, APUE 16.2)");
  }
  expect::messages(r, want, why);
  expect::clean(r);
}

TEST_CASE("probe_reliable checks each record's number: every record arriving, two of them swapped, is not reliable",
          "[probe_reliable][pts=2]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    // The test records what the probe writes, then hands the same records
    // back to it with records 0 and 1 swapped: all of them arrive, intact,
    // out of order. 100 records fit in a pipe, so no write is held back.
    constexpr int count = 100;
    constexpr std::size_t size = count * PROBE_RECORD_SIZE;
    int sent[2], back[2];
    if (pipe(sent) < 0 || pipe(back) < 0) return -2;
    pair_of_fds capture(sent[1], sent[0]), replay(back[1], back[0]);
    std::string records(size + 1, '\0');
    errno = 0;
    long rc = STUDENT(probe_reliable)(capture.w, replay.r, count);
    int err = errno;
    fcntl(capture.r, F_SETFL, O_NONBLOCK);
    ssize_t got = read(capture.r, records.data(), records.size());
    c.send(outcome(rc, err) + "; " + std::to_string(got) + " bytes written");
    if (got != static_cast<ssize_t>(size)) return 0;
    std::swap_ranges(records.begin(), records.begin() + PROBE_RECORD_SIZE, records.begin() + PROBE_RECORD_SIZE);
    if (write(replay.w, records.data(), size) != static_cast<ssize_t>(size)) return -2;
    int flags = fcntl(replay.r, F_GETFL);
    errno = 0;
    rc = STUDENT(probe_reliable)(capture.w, replay.r, count);
    c.send(outcome(rc, errno) + left_behind(replay.r, flags, true));
    return 0;
  });
  expect::messages(r, {"0; 6400 bytes written", "0"},
                   {"100 records written on a pipe whose other end the test keeps, and nothing arrives on the "
                    "receiving end: answer 0; each record is PROBE_RECORD_SIZE bytes, written whole",
                    "the same 100 records all arrive, intact, but records 0 and 1 swapped: a probe that only "
                    "counts what arrived answers 1; check each record's number against the one expected next "
                    "(probe_reliable: in order, once each)"});
  expect::clean(r);
}

TEST_CASE("probe_connectionless sends to an address from a datagram socket, not from stream or seqpacket",
          "[probe_connectionless][pts=3]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    for (int type : {SOCK_DGRAM, SOCK_STREAM, SOCK_SEQPACKET}) {
      int peer = bound_socket(type, "/tmp/peer.sock");
      int s = socket(AF_UNIX, type, 0);
      errno = 0;
      int rc = STUDENT(probe_connectionless)(s, "/tmp/peer.sock");
      std::string line = outcome(rc, errno);
      sockaddr_un a{};
      socklen_t len = sizeof a;
      if (getpeername(s, reinterpret_cast<sockaddr*>(&a), &len) == 0) line += "; it connected the socket";
      char buf[8];
      if (type == SOCK_DGRAM) {
        ssize_t n = recv(peer, buf, sizeof buf, MSG_DONTWAIT);
        line += n == 1 ? "; the peer got 1 byte" : "; the peer got " + outcome(n, errno);
      } else if (pollfd pf{peer, POLLIN, 0}; poll(&pf, 1, 0) == 1) {
        line += "; a connection reached the peer";
      }
      close(s);
      close(peer);
      unlink("/tmp/peer.sock");
      c.send(line);
    }
    return 0;
  });
  expect::messages(r, {"1; the peer got 1 byte", "0", "0"},
                   {"a datagram socket needs no connect(): one sendto() naming the peer's path delivers the byte",
                    "a stream socket refuses sendto() with an address until connected (EOPNOTSUPP): answer 0, and "
                    "do not connect() it yourself",
                    "a seqpacket socket is connection-oriented too (ENOTCONN): answer 0"});
  expect::clean(r);
}

TEST_CASE("probe_connectionless reports a missing peer, a non-socket and a bad path with their errno",
          "[probe_connectionless][errors][pts=1]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    int s = socket(AF_UNIX, SOCK_DGRAM, 0);
    int fd = open("/tmp/plain.txt", O_CREAT | O_WRONLY, 0600);
    close(fd);
    const std::string too_long(sizeof(sockaddr_un{}.sun_path), 'p');
    for (const char* path : {"/tmp/nobody.sock", "/tmp/plain.txt", "", too_long.c_str(),
                             static_cast<const char*>(nullptr)}) {
      errno = 0;
      int rc = STUDENT(probe_connectionless)(s, path);
      c.send(outcome(rc, errno));
    }
    unlink("/tmp/plain.txt");
    close(s);
    return 0;
  });
  expect::messages(r, {"-1 ENOENT", "-1 ECONNREFUSED", "-1 EINVAL", "-1 EINVAL", "-1 EINVAL"},
                   {"nothing is bound at the path: sendto() fails with ENOENT, pass it on",
                    "a regular file is not a socket: ECONNREFUSED, pass it on",
                    "an empty path names nothing: EINVAL before any call",
                    "a path as long as sun_path leaves no room for its null byte: EINVAL",
                    "a null path: EINVAL"});
  expect::clean(r);
}

TEST_CASE("probe_message_types takes the lowest type first and sees later messages overtake",
          "[probe_message_types][pts=3]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    c.send(types_run({3, 1, 2, 1}, 16));
    c.send(types_run({1, 1, 2}, 16));
    return 0;
  });
  expect::messages(r, {"1 taken=4 order=1 3 2 0 left=0", "0 taken=3 order=0 1 2 left=0"},
                   {"types 3, 1, 2, 1 sent in that order: msgrcv(-LONG_MAX) takes both 1s (sent 2nd and 4th), "
                    "then the 2, then the 3 sent first; a later message overtook, answer 1 (APUE 15.7)",
                    "types 1, 1, 2 come out in the order they were sent: nothing overtook, answer 0 (the answer "
                    "comes from what msgrcv returned, not from the kind)"});
  expect::clean(r);
}

TEST_CASE("probe_message_types stops after cap messages and leaves the rest queued",
          "[probe_message_types][pts=1]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    c.send(types_run({2, 2, 1, 5}, 2));
    return 0;
  });
  expect::messages(r, {"1 taken=2 order=2 0 left=2"},
                   {"with room for 2, the probe takes the 1 (sent third) then the first 2, and leaves two "
                    "messages on the queue"});
  expect::clean(r);
}

TEST_CASE("the probes fail with the errno of the call on bad arguments", "[errors][pts=1]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    int p[2];
    if (pipe(p) < 0) return -2;
    int closed = dup(p[0]);
    close(closed);
    errno = 0;
    int rc = STUDENT(probe_flow_control)(closed);
    c.send("flow " + outcome(rc, errno));
    errno = 0;
    rc = STUDENT(probe_keeps_records)(closed, p[0]);
    c.send("records " + outcome(rc, errno));
    errno = 0;
    rc = STUDENT(probe_reliable)(p[1], p[0], 0);
    pollfd pf{p[0], POLLIN, 0};
    c.send("reliable " + outcome(rc, errno) + (poll(&pf, 1, 0) == 1 ? "; it sent something" : ""));
    int sp[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sp) < 0 || shutdown(sp[1], SHUT_RD) < 0) return -2;
    pair_of_fds deaf(sp[0], sp[1]);
    int wf = fcntl(deaf.w, F_GETFL), rf = fcntl(deaf.r, F_GETFL);
    errno = 0;
    rc = STUDENT(probe_reliable)(deaf.w, deaf.r, 10);
    c.send("no reader " + outcome(rc, errno) + left_behind(deaf.w, wf, false) + left_behind(deaf.r, rf, false));
    int order[4], taken = 0;
    errno = 0;
    rc = STUDENT(probe_message_types)(-1, order, 4, &taken);
    c.send("types " + outcome(rc, errno));
    close(p[0]);
    close(p[1]);
    return 0;
  });
  expect::messages(r,
                   {"flow -1 EBADF", "records -1 EBADF", "reliable -1 EINVAL", "no reader -1 EPIPE",
                    "types -1 EINVAL"},
                   {"probe_flow_control on a closed descriptor: fcntl() or write() fails with EBADF, pass it on",
                    "probe_keeps_records on a closed write end: EBADF",
                    "probe_reliable with count 0: EINVAL, and nothing sent",
                    "probe_reliable on a socket whose receiving side was shut down: send() fails with EPIPE "
                    "(MSG_NOSIGNAL, so no SIGPIPE); pass it on, with both descriptors' flags put back on this "
                    "failure path too",
                    "probe_message_types on a queue that does not exist: msgrcv() fails with EINVAL"});
  expect::clean(r);
}

TEST_CASE("probe_priorities sees a higher priority overtake on a POSIX queue, and puts its flags back",
          "[probe_priorities][pts=3]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    c.send(priorities_run({0, 2, 1, 2}, 16));
    c.send(priorities_run({1, 1, 1}, 16));
    c.send(priorities_run({1, 0, 5}, 2, O_NONBLOCK));
    return 0;
  });
  expect::messages(r,
                   {"1 taken=4 order=1 3 2 0 left=0 flags as found", "0 taken=3 order=0 1 2 left=0 flags as found",
                    "1 taken=2 order=2 0 left=1 flags as found"},
                   {"priorities 0, 2, 1, 2 sent in that order: mq_receive takes both 2s (sent 2nd and 4th), then the "
                    "1, then the 0 sent first; a later message overtook, answer 1. mq_receive needs a buffer of "
                    "mq_msgsize bytes (EMSGSIZE otherwise), and O_NONBLOCK set with mq_setattr must be cleared "
                    "again (chapter 11)",
                    "one priority for all: first in, first out, answer 0 (from what mq_receive returned, not the kind)",
                    "with room for 2 on a queue that came non-blocking: the 5 (sent third), then the 1 (sent first); "
                    "one message stays queued and the queue stays non-blocking"});
  expect::clean(r);
}

TEST_CASE("probe_priorities fails with EBADF on a bad descriptor and EINVAL on bad arguments",
          "[probe_priorities][errors][pts=1]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    int order[4], taken = 0;
    errno = 0;
    int rc = STUDENT(probe_priorities)(static_cast<mqd_t>(-1), order, 4, &taken);
    c.send(outcome(rc, errno));
    mqd_t q = nameless_queue(0);
    errno = 0;
    rc = STUDENT(probe_priorities)(q, nullptr, 4, &taken);
    c.send(outcome(rc, errno));
    errno = 0;
    rc = STUDENT(probe_priorities)(q, order, 0, &taken);
    c.send(outcome(rc, errno));
    mq_close(q);
    return 0;
  });
  expect::messages(r, {"-1 EBADF", "-1 EINVAL", "-1 EINVAL"},
                   {"not a queue descriptor: mq_setattr or mq_receive fails with EBADF, pass it on",
                    "a null order: EINVAL before any receive", "cap 0: EINVAL"});
  expect::clean(r);
}
