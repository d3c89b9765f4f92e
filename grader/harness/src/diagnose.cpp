// Explaining a stuck call from /proc: blocked system calls and pipe holders.
#include "diagnose.hpp"

#include <sys/syscall.h>

#include <algorithm>
#include <map>
#include <vector>

#include "ipclab/observe.hpp"

namespace ipclab::sandbox {
namespace {

struct holder {
  pid_t pid;
  int fd;
  std::string access;
};

std::string who(const observe::process& p) {
  return "process " + std::to_string(p.pid) + " (" + p.command + ")";
}

std::string list(const std::vector<holder>& hs) {
  std::string out;
  for (const auto& h : hs) {
    if (!out.empty()) out += ", ";
    out += "process " + std::to_string(h.pid) + " (fd " + std::to_string(h.fd) + ")";
  }
  return out;
}

std::string blocked_on_other(long nr) {
  switch (nr) {
    case SYS_wait4:
    case SYS_waitid: return "waits for a child that never ends";
    case SYS_openat:
    case SYS_open: return "is blocked in open(): opening a FIFO waits until the other end is opened too (APUE 15.5)";
    case SYS_msgrcv: return "waits in msgrcv() for a message nobody sends";
    case SYS_msgsnd: return "waits in msgsnd(): the queue is full";
    case SYS_semop:
    case SYS_semtimedop: return "waits in semop() on a semaphore nobody releases";
    case SYS_futex: return "waits on a lock or semaphore (futex) nobody releases";
    case SYS_pause:
    case SYS_rt_sigsuspend: return "waits for a signal that never comes";
    case SYS_nanosleep:
    case SYS_clock_nanosleep: return "is sleeping";
    case SYS_poll:
    case SYS_ppoll:
    case SYS_select:
    case SYS_pselect6: return "waits in poll()/select()";
    case SYS_recvmsg:
    case SYS_recvfrom: return "waits to receive from a socket";
    case SYS_accept:
    case SYS_accept4: return "waits in accept()";
    default: return "";
  }
}

}  // namespace

std::string diagnose_stuck(pid_t root) {
  auto procs = observe::tree(root);
  std::map<std::string, std::vector<holder>> readers, writers;
  std::map<pid_t, std::vector<sandbox::fd_entry>> fds;
  for (const auto& p : procs) {
    fds[p.pid] = observe::open_fds(p.pid);
    for (const auto& f : fds[p.pid]) {
      if (f.target.rfind("pipe:", 0) != 0) continue;
      if (f.access != "write") readers[f.target].push_back({p.pid, f.fd, f.access});
      if (f.access != "read") writers[f.target].push_back({p.pid, f.fd, f.access});
    }
  }
  // Who is blocked reading each pipe: two readers of one pipe and no writer
  // moving means each side reads the pipe it should write.
  std::map<std::string, std::vector<pid_t>> blocked_readers;
  for (const auto& p : procs) {
    auto [nr, arg] = observe::blocked_call(p.pid);
    if (nr != SYS_read && nr != SYS_readv) continue;
    for (const auto& f : fds[p.pid])
      if (f.fd == arg && f.target.rfind("pipe:", 0) == 0) blocked_readers[f.target].push_back(p.pid);
  }
  std::string out;
  for (const auto& p : procs) {
    auto [nr, arg] = observe::blocked_call(p.pid);
    std::string line;
    std::string target;
    for (const auto& f : fds[p.pid])
      if (f.fd == arg) target = f.target;
    bool on_pipe = target.rfind("pipe:", 0) == 0;
    const auto& same = blocked_readers[target];
    bool writers_all_read = same.size() > 1 && std::all_of(writers[target].begin(), writers[target].end(),
        [&](const holder& h) { return std::find(same.begin(), same.end(), h.pid) != same.end(); });
    if ((nr == SYS_read || nr == SYS_readv) && on_pipe && writers_all_read) {
      line = who(p) + " waits to read " + target + " (fd " + std::to_string(arg) + "), and so does every "
             "other process that could write to it: each side reads the same pipe. With one pipe per "
             "direction, a process reads only the pipe the other side writes (APUE 15.2)";
    } else if ((nr == SYS_read || nr == SYS_readv) && on_pipe) {
      if (writers[target].empty())
        line = who(p) + " waits to read from " + target + " but nobody holds its write end";
      else
        line = who(p) + " waits to read " + target + " (fd " + std::to_string(arg) +
               "), whose write end is still open in " + list(writers[target]) +
               ": a reader sees end-of-file only once every write end is closed, so close the "
               "ends each process does not use (APUE 15.2)";
    } else if ((nr == SYS_write || nr == SYS_writev) && on_pipe) {
      line = who(p) + " is blocked writing to " + target +
             ": the pipe is full (64 KiB) and nobody reads it; read while the writer writes, "
             "or wait for children only after reading";
    } else if (nr >= 0) {
      std::string what = blocked_on_other(nr);
      if (!what.empty()) line = who(p) + " " + what;
    } else if (p.state == 'R') {
      line = who(p) + " is still running (an endless loop?)";
    }
    if (!line.empty()) out += "  - " + line + "\n";
  }
  return out;
}

}  // namespace ipclab::sandbox
