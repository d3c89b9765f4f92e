// What one blocked thread of a call waits for: its system call and arguments,
// the object behind a descriptor, and who holds that object's other end.
//
// A wait is `inside` only when nothing but a process of the call could end
// it; any doubt (an unknown call, memory that cannot be read, an end held by
// the checker or by anyone else) makes it `outside`, so a doubt never stops
// a call early.
#include "deadlock_waits.hpp"

#include <fcntl.h>
#include <linux/futex.h>
#include <poll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <set>

#include "ipclab/socket_peers.hpp"

namespace ipclab::sandbox::deadlock {
namespace {

std::string fd_dir(pid_t pid) { return "/proc/" + std::to_string(pid) + "/fd/"; }

std::string holder_name(const ends::end& h) {
  return (h.in_call ? "process " + std::to_string(h.pid) : std::string("the checker")) +
         " (fd " + std::to_string(h.fd) + ")";
}

// A wait in progress of being described: its parts combine.
struct finding {
  stance how = stance::inside;
  std::vector<std::string> on, held;
  std::set<pid_t> wakers;
  bool anyone = false;  // any process of the call could end it

  // outside beats timed beats inside: one way out is enough.
  void outside(std::string why) {
    how = stance::outside;
    on.push_back(std::move(why));
  }
  void timed(std::string why) {
    if (how == stance::inside) how = stance::timed;
    on.push_back(std::move(why));
  }
};

// A socket with SO_RCVTIMEO/SO_SNDTIMEO times out by itself. Read by taking
// a copy of the descriptor (pidfd_getfd); when that is refused, assume it may.
bool socket_times_out(pid_t pid, int fd, int option) {
  int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  if (pidfd < 0) return true;
  int copy = static_cast<int>(::syscall(SYS_pidfd_getfd, pidfd, fd, 0));
  ::close(pidfd);
  if (copy < 0) return true;
  timeval tv{};
  socklen_t len = sizeof tv;
  bool timed = ::getsockopt(copy, SOL_SOCKET, option, &tv, &len) != 0 || tv.tv_sec != 0 ||
               tv.tv_usec != 0;
  ::close(copy);
  return timed;
}

enum class way { reads, writes, accepts };

void add_ends(finding& f, const std::vector<ends::end>& hs, const std::string& what,
              const std::string& nobody) {
  if (hs.empty()) {
    f.outside(what + ", " + nobody);  // end-of-file or an error ends it at once
    return;
  }
  std::string names;
  bool outside = false;
  for (const auto& h : hs) {
    names += (names.empty() ? "" : ", ") + holder_name(h);
    if (h.in_call) f.wakers.insert(h.pid);
    else outside = true;
  }
  if (outside) f.outside(what);
  else f.on.push_back(what);
  f.held.push_back(names);
}

void on_fd(finding& f, const waiter& w, int fd, way dir, std::optional<ends>& e,
           const std::vector<observe::process>& call) {
  if (!e) e.emplace(call);
  const auto* o = e->find(w.pid, fd);
  std::string name = o ? o->target : "?";
  std::string verb = dir == way::reads ? "reads " : dir == way::writes ? "writes " : "accepts on ";
  std::string what = verb + name + " (fd " + std::to_string(fd) + ")";
  if (o == nullptr) return f.outside(what);
  if (S_ISFIFO(o->mode)) {
    std::vector<ends::end> other;
    for (const auto& h : e->of(*o))
      if (dir == way::reads ? h.writes : h.reads) other.push_back(h);
    add_ends(f, other, what, dir == way::reads ? "nobody holds its write end" : "nobody reads it");
    if (!other.empty()) f.held.back() = (dir == way::reads ? "write end: " : "read end: ") + f.held.back();
    return;
  }
  if (S_ISSOCK(o->mode)) {
    int option = dir == way::writes ? SO_SNDTIMEO : SO_RCVTIMEO;
    if (socket_times_out(w.pid, fd, option)) return f.timed(what + " with a timeout");
    bool is_unix = false;
    auto peer = e->peer_of(*o, is_unix);
    if (!is_unix) return f.outside(what + " (not a local socket)");
    if (!peer) {  // listening or unconnected: any process of the call may connect or send
      f.anyone = true;
      f.on.push_back(what);
      return;
    }
    add_ends(f, *peer, what, "nobody holds the other end");
    if (!peer->empty()) f.held.back() = "other end: " + f.held.back();
    return;
  }
  if (name == "anon_inode:[timerfd]") return f.timed(what);
  if (name == "anon_inode:[signalfd]") {
    f.anyone = true;
    f.on.push_back(what);
    return;
  }
  f.outside(what);
}

// poll(): an array of pollfd in the thread's memory.
void on_poll(finding& f, const waiter& w, unsigned long addr, unsigned long nfds,
             std::optional<ends>& e, const std::vector<observe::process>& call) {
  nfds = std::min(nfds, 256ul);
  auto bytes = observe::memory(w.pid, addr, nfds * sizeof(pollfd));
  if (bytes.size() != nfds * sizeof(pollfd)) return f.outside("poll() on descriptors it cannot read");
  for (unsigned long i = 0; i < nfds; ++i) {
    pollfd p{};
    std::memcpy(&p, bytes.data() + i * sizeof p, sizeof p);
    if (p.fd < 0) continue;
    if (p.events & POLLIN) on_fd(f, w, p.fd, way::reads, e, call);
    if (p.events & POLLOUT) on_fd(f, w, p.fd, way::writes, e, call);
  }
}

// select(): fd_sets of nfds bits in the thread's memory.
void on_select(finding& f, const waiter& w, unsigned long nfds, unsigned long readfds,
               unsigned long writefds, std::optional<ends>& e,
               const std::vector<observe::process>& call) {
  nfds = std::min<unsigned long>(nfds, FD_SETSIZE);
  std::size_t len = (nfds + 7) / 8;
  for (auto [addr, dir] : {std::pair{readfds, way::reads}, std::pair{writefds, way::writes}}) {
    if (addr == 0) continue;
    auto bits = observe::memory(w.pid, addr, len);
    if (bits.size() != len) return f.outside("select() on descriptors it cannot read");
    for (unsigned long fd = 0; fd < nfds; ++fd)
      if (static_cast<unsigned char>(bits[fd / 8]) & (1u << (fd % 8)))
        on_fd(f, w, static_cast<int>(fd), dir, e, call);
  }
}

// epoll_wait(): the watched descriptors are listed in the epoll fd's fdinfo.
void on_epoll(finding& f, const waiter& w, int epfd, std::optional<ends>& e,
              const std::vector<observe::process>& call) {
  std::ifstream in("/proc/" + std::to_string(w.pid) + "/fdinfo/" + std::to_string(epfd));
  std::string key;
  bool any = false;
  while (in >> key) {
    if (key != "tfd:") continue;
    int fd = -1;
    std::string events_key, events;
    in >> fd >> events_key >> events;
    unsigned long ev = std::strtoul(events.c_str(), nullptr, 16);
    any = true;
    if (ev & (POLLIN | POLLRDHUP)) on_fd(f, w, fd, way::reads, e, call);
    if (ev & POLLOUT) on_fd(f, w, fd, way::writes, e, call);
  }
  if (!any) f.outside("epoll_wait() on nothing it can read");
}

// wait4()/waitid(): the children it may be waiting for.
void on_child(finding& f, const waiter& w, long which, const std::vector<observe::process>& call) {
  pid_t own_group = -1;
  for (const auto& p : call)
    if (p.pid == w.pid) own_group = p.pgid;
  std::string names;
  for (const auto& p : call) {
    if (p.ppid != w.pid) continue;
    bool matches = which == -1 || which == p.pid || (which == 0 && p.pgid == own_group) ||
                   (which < -1 && p.pgid == -which);
    if (!matches) continue;
    if (p.state == 'Z') return f.outside("waits for child " + std::to_string(p.pid) + ", which has ended");
    f.wakers.insert(p.pid);
    names += (names.empty() ? "" : ", ") + std::to_string(p.pid);
  }
  if (names.empty()) return f.outside("waits for a child it does not have");
  f.on.push_back("waitpid() for its child");
  f.held.push_back("child " + names);
}

// open() of a FIFO waits until its other side is opened.
void on_open(finding& f, const waiter& w, int dirfd, unsigned long path_addr, unsigned long flags) {
  std::string path;
  for (unsigned long at = path_addr; path.size() < 4096;) {
    unsigned long chunk = 256 - at % 256;
    auto part = observe::memory(w.pid, at, chunk);
    auto nul = part.find('\0');
    path += part.substr(0, nul);
    if (nul != std::string::npos || part.size() < chunk) break;
    at += chunk;
  }
  std::string where = path;
  if (path.empty() || path[0] != '/')
    where = dirfd == AT_FDCWD ? "/proc/" + std::to_string(w.pid) + "/cwd/" + path
                              : fd_dir(w.pid) + std::to_string(dirfd) + "/" + path;
  struct stat st {};
  if (path.empty() || ::stat(where.c_str(), &st) != 0 || !S_ISFIFO(st.st_mode))
    return f.outside("open(\"" + path + "\")");
  bool reading = (flags & O_ACCMODE) == O_RDONLY;
  f.anyone = true;
  f.on.push_back("open(\"" + path + "\") for " + (reading ? "reading" : "writing"));
  f.held.push_back(std::string("nobody has it open for ") + (reading ? "writing" : "reading"));
}

void inside(finding& f, std::string what, std::string held = "") {
  f.anyone = true;
  f.on.push_back(std::move(what));
  if (!held.empty()) f.held.push_back(std::move(held));
}

void by_call(finding& f, const waiter& w, const blocked_in& b, std::optional<ends>& e,
             const std::vector<observe::process>& call) {
  const auto& a = b.arg;
  auto num = [](unsigned long v) { return std::to_string(static_cast<long>(v)); };
  auto fd = [](unsigned long v) { return static_cast<int>(v); };
  switch (b.nr) {
    case SYS_read:
    case SYS_readv:
    case SYS_recvfrom:
    case SYS_recvmsg: return on_fd(f, w, fd(a[0]), way::reads, e, call);
    case SYS_recvmmsg:
      if (a[4] != 0) return f.timed("recvmmsg() with a timeout");
      return on_fd(f, w, fd(a[0]), way::reads, e, call);
    case SYS_write:
    case SYS_writev:
    case SYS_sendto:
    case SYS_sendmsg: return on_fd(f, w, fd(a[0]), way::writes, e, call);
    case SYS_accept:
    case SYS_accept4: return on_fd(f, w, fd(a[0]), way::accepts, e, call);
    case SYS_poll:
      if (static_cast<int>(a[2]) >= 0) return f.timed("poll() with a timeout");
      return on_poll(f, w, a[0], a[1], e, call);
    case SYS_ppoll:
      if (a[2] != 0) return f.timed("ppoll() with a timeout");
      return on_poll(f, w, a[0], a[1], e, call);
    case SYS_select:
    case SYS_pselect6:
      if (a[4] != 0) return f.timed("select() with a timeout");
      return on_select(f, w, a[0], a[1], a[2], e, call);
    case SYS_epoll_wait:
    case SYS_epoll_pwait:
      if (static_cast<int>(a[3]) >= 0) return f.timed("epoll_wait() with a timeout");
      return on_epoll(f, w, fd(a[0]), e, call);
    case SYS_epoll_pwait2:
      if (a[3] != 0) return f.timed("epoll_pwait2() with a timeout");
      return on_epoll(f, w, fd(a[0]), e, call);
    case SYS_wait4: return on_child(f, w, static_cast<int>(a[0]), call);
    case SYS_waitid:
      if (a[0] == P_PID) return on_child(f, w, static_cast<int>(a[1]), call);
      if (a[0] == P_PGID) return on_child(f, w, -static_cast<int>(a[1]), call);
      return on_child(f, w, -1, call);
    case SYS_openat: return on_open(f, w, static_cast<int>(a[0]), a[1], a[2]);
    case SYS_open: return on_open(f, w, AT_FDCWD, a[0], a[1]);
    case SYS_futex: {
      unsigned long cmd = a[1] & FUTEX_CMD_MASK;
      bool waits = cmd == FUTEX_WAIT || cmd == FUTEX_WAIT_BITSET || cmd == FUTEX_LOCK_PI ||
                   cmd == FUTEX_LOCK_PI2 || cmd == FUTEX_WAIT_REQUEUE_PI;
      if (!waits) return f.outside("futex() operation " + num(cmd));
      if (a[3] != 0) return f.timed("a timed futex wait (a timed lock, condition or semaphore wait)");
      std::string what = "a futex (a mutex, condition variable or sem_wait)";
      if (a[1] & FUTEX_PRIVATE_FLAG) {
        f.wakers.insert(w.pid);  // only its own threads share that word
        f.on.push_back(what);
        f.held.push_back("another thread of process " + std::to_string(w.pid));
        return;
      }
      return inside(f, what, "any process of the call that shares it");
    }
    case SYS_futex_waitv:
      if (a[3] != 0) return f.timed("futex_waitv() with a timeout");
      return inside(f, "futex_waitv()", "any process of the call");
    case SYS_semop: return inside(f, "semop() on semaphore set " + num(a[0]), "any process of the call");
    case SYS_semtimedop:
      if (a[3] != 0) return f.timed("semtimedop() with a timeout");
      return inside(f, "semop() on semaphore set " + num(a[0]), "any process of the call");
    case SYS_msgrcv:
      return inside(f, "msgrcv() on queue " + num(a[0]) + " (type " + num(a[3]) + ")",
                    "any process of the call could send");
    case SYS_msgsnd:
      return inside(f, "msgsnd() on queue " + num(a[0]) + ", which is full",
                    "any process of the call could receive");
    case SYS_mq_timedreceive:
    case SYS_mq_timedsend:
      if (a[4] != 0) return f.timed("a timed POSIX message queue wait");
      return inside(f, "a POSIX message queue", "any process of the call");
    case SYS_pause:
    case SYS_rt_sigsuspend: return inside(f, "a signal (pause/sigsuspend)", "any process of the call could send one");
    case SYS_rt_sigtimedwait:
      if (a[2] != 0) return f.timed("sigtimedwait() with a timeout");
      return inside(f, "a signal (sigwait)", "any process of the call could send one");
    case SYS_flock: return inside(f, "flock() on fd " + num(a[0]), "the lock's holder in the call");
    case SYS_fcntl:
      if (a[1] == F_SETLKW || a[1] == F_OFD_SETLKW)
        return inside(f, "a record lock (fcntl F_SETLKW) on fd " + num(a[0]), "the lock's holder in the call");
      return f.outside("fcntl()");
    case SYS_nanosleep:
    case SYS_clock_nanosleep:
    case SYS_restart_syscall: return f.timed("sleeps");
    default: return f.outside("system call " + std::to_string(b.nr));
  }
}

}  // namespace

blocked_in syscall_of(pid_t pid, pid_t tid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/task/" + std::to_string(tid) + "/syscall");
  std::string nr;
  blocked_in b;
  if (!(in >> nr) || nr == "running" || nr == "-1") return b;
  for (auto& a : b.arg) {
    std::string hex;
    if (!(in >> hex)) return b;
    a = std::strtoul(hex.c_str(), nullptr, 16);
  }
  b.nr = std::strtol(nr.c_str(), nullptr, 10);
  return b;
}

ends::ends(const std::vector<observe::process>& call) {
  std::vector<std::pair<pid_t, bool>> owners{{::getpid(), false}};
  for (const auto& p : call) owners.emplace_back(p.pid, true);
  for (auto [pid, in_call] : owners) {
    for (const auto& f : observe::open_fds(pid)) {
      struct stat st {};
      if (::stat((fd_dir(pid) + std::to_string(f.fd)).c_str(), &st) != 0) continue;
      object o{f.target, st.st_ino, st.st_dev, st.st_mode & S_IFMT};
      end h{pid, f.fd, f.access != "write", f.access != "read", in_call};
      by_fd_[{pid, f.fd}] = o;
      by_object_[{o.dev, o.ino}].push_back(h);
      if (S_ISSOCK(o.mode)) by_socket_[o.ino].push_back(h);
    }
  }
  for (auto [ino, peer] : ipclab::unix_socket_peers()) unix_peer_[ino] = peer;
}

const ends::object* ends::find(pid_t pid, int fd) const {
  auto it = by_fd_.find({pid, fd});
  return it == by_fd_.end() ? nullptr : &it->second;
}

std::vector<ends::end> ends::of(const object& o) const {
  auto it = by_object_.find({o.dev, o.ino});
  return it == by_object_.end() ? std::vector<end>{} : it->second;
}

std::optional<std::vector<ends::end>> ends::peer_of(const object& o, bool& is_unix) const {
  auto it = unix_peer_.find(o.ino);
  is_unix = it != unix_peer_.end();
  if (!is_unix || it->second == 0) return std::nullopt;
  auto holders = by_socket_.find(it->second);
  return holders == by_socket_.end() ? std::vector<end>{} : holders->second;
}

void classify(waiter& w, const blocked_in& b, const std::vector<observe::process>& call,
              std::optional<ends>& e) {
  finding f;
  by_call(f, w, b, e, call);
  w.how = f.how;
  for (const auto& s : f.on) w.waits_on += (w.waits_on.empty() ? "" : "; ") + s;
  for (const auto& s : f.held) w.held_by += (w.held_by.empty() ? "" : "; ") + s;
  if (f.anyone)
    for (const auto& p : call) f.wakers.insert(p.pid);
  w.wakers.assign(f.wakers.begin(), f.wakers.end());
}

}  // namespace ipclab::sandbox::deadlock
