// demo-compare: the comparison table of IPC kinds, filled in by experiment.
//
// For a pipe, an XSI message queue, UNIX stream, datagram and seqpacket
// socket pairs and a POSIX message queue, the demo asks the kernel rather than the book: does a read
// return one send or everything queued (records)? Is a sender that gets
// ahead held back (flow control)? Does a reader child see every numbered
// message, in order (reliable)? Can a receiver take a later message first
// (types)? Can a socket send to a path without connect() (connectionless)?
// Then it shows persistence: a queue's message (XSI or POSIX) outlives its
// sender, a FIFO's data does not.
//
// Run it:  ./ipclab demo compare        (add --trace to see the queues)
#include <fcntl.h>
#include <mqueue.h>
#include <sys/msg.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "ipclab/check.hpp"
#include "ipclab/die.hpp"
#include "ipclab/fd_factory.hpp"
#include "ipclab/io.hpp"
#include "ipclab/reap.hpp"
#include "ipclab/trace.hpp"

using namespace ipclab;

namespace {

const char* const kFifo = "/tmp/ipclab-compare.fifo";
const char* const kPeer = "/tmp/ipclab-compare.sock";
const std::string kPosixQueue = "/ipclab-compare." + std::to_string(getpid());
int queue_id = -1;
mqd_t posix_queue = static_cast<mqd_t>(-1);

void cleanup() {
  if (queue_id >= 0 && msgctl(queue_id, IPC_RMID, nullptr) < 0) warn_errno("msgctl(IPC_RMID)");
  queue_id = -1;
  if (posix_queue != static_cast<mqd_t>(-1)) mq_close(posix_queue);
  posix_queue = static_cast<mqd_t>(-1);
  mq_unlink(kPosixQueue.c_str());
  unlink(kFifo);
  unlink(kPeer);
}

// One object under test: a pipe or socket pair (w -> r), or a queue.
struct object {
  int type;  // 0 for a pipe, SOCK_* for a socket pair, -1 XSI queue, -2 POSIX queue
  unique_fd w, r;
};

object make(int type) {
  if (type < 0) return {type, unique_fd(), unique_fd()};
  if (type == 0) {
    auto p = make_pipe();
    return {0, std::move(p.write_end), std::move(p.read_end)};
  }
  auto s = make_socketpair(type);
  return {type, std::move(s.first), std::move(s.second)};
}

bool is_queue(const object& o) { return o.type < 0; }
bool is_posix(const object& o) { return o.type == -2; }

struct message {
  long mtype;
  char text[1024];
};

// Sends @p n bytes as one unit: true when sent, false when a non-blocking
// sender (IPC_NOWAIT for the XSI queue, O_NONBLOCK otherwise) would wait.
// The POSIX queue gets priority 10 - type: the smaller type goes first.
bool put(object& o, const void* p, size_t n, long type = 1, int nowait = 0) {
  if (is_posix(o)) return check_try(mq_send(posix_queue, static_cast<const char*>(p), n, static_cast<unsigned>(10 - type)), "mq_send()");
  if (!is_queue(o)) return check_try(static_cast<int>(write(o.w.get(), p, n)), "write()");
  message m{type, {}};
  std::memcpy(m.text, p, n);
  return check_try(msgsnd(queue_id, &m, n, nowait), "msgsnd()");
}

//! [records]
// One receive (with room for 1024 bytes, the POSIX queue's mq_msgsize).
ssize_t get(object& o, message& m, size_t room) {
  if (is_posix(o)) return mq_receive(posix_queue, m.text, sizeof m.text, nullptr);
  return is_queue(o) ? msgrcv(queue_id, &m, sizeof m.text, 0, 0) : read(o.r.get(), m.text, room);
}

// One receive after two sends of 3 and 5 bytes: how much comes back?
long records(object& o) {
  put(o, "abc", 3);
  put(o, "defgh", 5);
  message m{};
  ssize_t n = get(o, m, sizeof m.text);
  if (n < 0) die_errno("receive");
  if (n == 3 && get(o, m, 5) != 5) die_errno("receive the second record");
  return n;
}
//! [records]

//! [flow]
// Bytes a sender gets in, 1 KiB at a time, before it is held back (-1: never).
long flow(object& o) {
  static const char block[1024] = {};
  mq_attr nonblocking{};
  nonblocking.mq_flags = O_NONBLOCK;
  if (is_posix(o)) check_unix(mq_setattr(posix_queue, &nonblocking, nullptr), "mq_setattr(O_NONBLOCK)");
  else if (!is_queue(o)) check_unix(fcntl(o.w.get(), F_SETFL, O_NONBLOCK), "fcntl(O_NONBLOCK)");
  long total = 0;
  while (put(o, block, sizeof block, 1, IPC_NOWAIT))
    if ((total += sizeof block) >= 16 << 20) return -1;
  return total;
}
//! [flow]

// A reader child takes 500 numbered messages; exits 0 if all came in order.
bool reliable(object& o) {
  const int count = 500;
  pid_t pid = fork();
  if (pid < 0) die_errno("fork()");
  if (pid == 0) {
    for (int i = 0; i < count; ++i) {
      message m{};
      ssize_t n = is_posix(o)   ? mq_receive(posix_queue, m.text, sizeof m.text, nullptr)
                  : is_queue(o) ? msgrcv(queue_id, &m, sizeof(int), 0, 0)
                                : readn(o.r.get(), m.text, sizeof(int));
      int got = -1;
      std::memcpy(&got, m.text, sizeof got);
      if (n != sizeof(int) || got != i) _exit(1);
    }
    _exit(0);
  }
  for (int i = 0; i < count; ++i) put(o, &i, sizeof i);  // the child's pace sets ours
  int st = wait_child(pid);
  return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

//! [types]
// "B" (type 2) is sent before "A" (type 1); can a receiver take "A" first?
bool types(object& o) {
  put(o, "B", 1, 2);
  put(o, "A", 1, 1);
  message m{};
  if (is_posix(o)) {  // the receiver cannot choose: the higher priority comes first
    message second{};
    if (get(o, m, 1) < 0 || get(o, second, 1) < 0) die_errno("mq_receive()");
    return m.text[0] == 'A';
  }
  if (!is_queue(o)) return read(o.r.get(), m.text, 2) > 0 && m.text[0] == 'A';
  if (msgrcv(queue_id, &m, 1, 1, 0) < 0 || msgrcv(queue_id, &m.text[1], 1, 0, 0) < 0) die_errno("msgrcv()");
  return m.text[0] == 'A';
}
//! [types]

//! [connectionless]
// Can a fresh socket of @p type send to a bound peer with sendto() alone?
std::string connectionless(int type) {
  if (type == 0) return "no (a FIFO must be open()ed first)";
  if (type == -2) return "no (mq_open() first)";
  if (type < 0) return "no (msgget() first)";
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", kPeer);
  unique_fd peer(check_unix(socket(AF_UNIX, type, 0), "socket(peer)"));
  check_unix(bind(peer.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr), "bind()");
  if (type != SOCK_DGRAM) check_unix(listen(peer.get(), 1), "listen()");
  unique_fd s(check_unix(socket(AF_UNIX, type, 0), "socket()"));
  auto n = sendto(s.get(), "x", 1, MSG_NOSIGNAL, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  std::string said = n == 1 ? "yes" : std::string("no (") + errno_name(errno) + ")";
  check_unix(unlink(kPeer), "unlink(peer)");
  return said;
}
//! [connectionless]

void row(const char* name, int type) {
  object o = make(type);
  long rec = records(o);
  long held = flow(o);
  o = make(type);  // a fresh, empty object for the rest
  if (type == -1) {  // drain what flow() left in the queue
    message m{};
    while (msgrcv(queue_id, &m, sizeof m.text, 0, IPC_NOWAIT) >= 0) {
    }
  }
  if (type == -2) {  // drain it (still non-blocking), then make it blocking again
    message m{};
    while (check_try(static_cast<int>(get(o, m, sizeof m.text)), "mq_receive()")) {
    }
    mq_attr blocking{};
    check_unix(mq_setattr(posix_queue, &blocking, nullptr), "mq_setattr(0)");
  }
  bool rel = reliable(o);
  bool typ = types(o);
  std::printf("%-22s | %-8s | %-22s | %-8s | %-5s | %s\n", name, rec == 3 ? "yes" : "no",
              held < 0 ? "no" : ("yes, after " + std::to_string(held / 1024) + " KiB").c_str(), rel ? "yes" : "no",
              typ ? "yes" : "no", connectionless(type).c_str());
  std::fflush(stdout);  // before the next fork, and in step with narrate()
}

//! [persistence]
// A child puts one byte in the object and exits: is the byte still there?
void persistence() {
  pid_t pid = fork();
  if (pid < 0) die_errno("fork()");
  if (pid == 0) {
    long m[2] = {1, 'q'};
    int fd = open(kFifo, O_RDWR);  // O_RDWR: no wait for a reader
    if (msgsnd(queue_id, m, 1, 0) < 0 || fd < 0 || write(fd, "f", 1) != 1) child_die_errno("child send");
    mqd_t pq = mq_open(kPosixQueue.c_str(), O_WRONLY);  // found by its name
    if (pq == static_cast<mqd_t>(-1) || mq_send(pq, "p", 1, 0) < 0) child_die_errno("child mq_send");
    _exit(0);  // closes the FIFO: nobody holds it now
  }
  reap_child(pid);
  long m[2] = {};
  bool queue_kept = msgrcv(queue_id, m, 1, 0, IPC_NOWAIT) == 1;
  mq_attr attr{};
  check_unix(mq_getattr(posix_queue, &attr), "mq_getattr()");
  unique_fd fifo(check_unix(open(kFifo, O_RDWR | O_NONBLOCK), "open(fifo)"));
  char c;
  bool fifo_kept = check_try(static_cast<int>(read(fifo.get(), &c, 1)), "read(fifo)");  // EAGAIN: empty
  narrate(std::string("queue: the sender has exited, its message is ") + (queue_kept ? "still there" : "gone") +
          " (kernel persistence)");
  narrate(std::string("POSIX queue: the sender has exited, ") + std::to_string(attr.mq_curmsgs) +
          " message(s) still queued, until mq_unlink()");
  narrate(std::string("FIFO: the writer has exited, its byte is ") + (fifo_kept ? "still there" : "gone") +
          "; the name " + kFifo + " stays until unlink()");
}
//! [persistence]

}  // namespace

int main() {
  std::atexit(cleanup);
  cleanup();  // a previous run killed halfway may have left these
  queue_id = check_unix(msgget(IPC_PRIVATE, IPC_CREAT | 0600), "msgget()");
  mq_attr attr{};
  attr.mq_maxmsg = 10;     // the unprivileged limit, /proc/sys/fs/mqueue/msg_max
  attr.mq_msgsize = 1024;  // = sizeof message::text
  posix_queue = mq_open(kPosixQueue.c_str(), O_CREAT | O_EXCL | O_RDWR, 0600, &attr);
  if (posix_queue == static_cast<mqd_t>(-1)) die_errno("mq_open(" + kPosixQueue + ")");
  check_unix(mkfifo(kFifo, 0600), "mkfifo()");
  trace_ipc("msgget()");
  narrate("asking the kernel, one kind at a time (numbers are this machine's)");
  std::printf("%-22s | %-8s | %-22s | %-8s | %-5s | %s\n", "kind", "records", "flow control", "reliable", "types",
              "connectionless");
  row("pipe", 0);
  row("XSI message queue", -1);
  row("UNIX stream socket", SOCK_STREAM);
  row("UNIX datagram socket", SOCK_DGRAM);
  row("UNIX seqpacket socket", SOCK_SEQPACKET);
  row("POSIX message queue", -2);
  narrate("APUE's table says a datagram socket has no flow control; on Linux it has (see its row)");
  persistence();
  cleanup();
  trace_ipc("msgctl(IPC_RMID)");
  narrate("done: queues removed, FIFO unlinked, every child waited for");
  return 0;
}
