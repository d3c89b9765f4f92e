// Waiting, inside a call, until processes are asleep (read from /proc).
#include "ipclab/asleep.hpp"

#include <sched.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <string>

#include "ipclab/observe.hpp"

namespace ipclab::asleep {
namespace {

constexpr useconds_t kLookAgainUs = 2000;
constexpr int kForcePasses = 1500;  // 3 s of looking

// Where @p pid sleeps and how often it has been scheduled (schedstat):
// unchanged between two looks, it did not run in between.
std::string parked_at(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/schedstat");
  std::string ran;
  std::getline(in, ran);
  return std::to_string(observe::blocked_call(pid).first) + " " + ran;
}

// The system call @p pid sleeps in (state S), or -1 when it does not sleep.
long sleeping_in(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(in, line);
  auto paren = line.rfind(')');
  if (paren == std::string::npos || paren + 2 >= line.size() || line[paren + 2] != 'S') return -1;
  return observe::blocked_call(pid).first;
}

bool timed_sleep(long nr) { return nr == SYS_nanosleep || nr == SYS_clock_nanosleep; }

bool ended(pid_t pid) {
  siginfo_t info{};
  return ::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid;
}

}  // namespace

bool now(pid_t pid) {
  long nr = sleeping_in(pid);
  return nr >= 0 && !timed_sleep(nr);
}

bool wait_all(const std::vector<pid_t>& pids) {
  for (int i = 0, calm = 0; i < kForcePasses; ++i) {
    calm = std::all_of(pids.begin(), pids.end(), now) ? calm + 1 : 0;
    if (calm == 2) return true;
    ::usleep(kLookAgainUs);
  }
  return false;
}

std::vector<pid_t> settle(std::vector<pid_t> pids) {
  for (int calm = 0; calm < 2;) {
    std::vector<pid_t> live;
    for (pid_t p : pids)
      if (::waitpid(p, nullptr, WNOHANG) == 0) live.push_back(p);
    bool all_asleep = std::all_of(live.begin(), live.end(), now);
    calm = !all_asleep ? 0 : live == pids ? calm + 1 : 1;
    pids = live;
    ::usleep(kLookAgainUs);
  }
  return pids;
}

bool stillness::parked(pid_t pid) {
  long nr = sleeping_in(pid);
  std::string here = nr >= 0 && !timed_sleep(nr) ? parked_at(pid) : "";
  auto t = std::chrono::steady_clock::now();
  if (here.empty() || here != at_) {
    at_ = here;
    since_ = t;
    return false;
  }
  return t - since_ >= std::chrono::milliseconds(kParkedMs);
}

reached until_in(pid_t pid, std::initializer_list<long> calls) {
  stillness still;
  for (;;) {
    if (ended(pid)) return reached::ended;
    long nr = sleeping_in(pid);
    if (nr >= 0 && std::find(calls.begin(), calls.end(), nr) != calls.end()) return reached::call;
    if (still.parked(pid)) return reached::elsewhere;
    ::sched_yield();
  }
}

std::string call_name(long nr) {
  switch (nr) {
    case SYS_read: return "read()";
    case SYS_readv: return "readv()";
    case SYS_write: return "write()";
    case SYS_writev: return "writev()";
    case SYS_openat: return "open()";
    case SYS_recvmsg: return "recvmsg()";
    case SYS_recvfrom: return "recvfrom()";
    case SYS_sendmsg: return "sendmsg()";
    case SYS_sendto: return "sendto()";
    case SYS_accept:
    case SYS_accept4: return "accept()";
    case SYS_connect: return "connect()";
    case SYS_ppoll: return "ppoll()";
    case SYS_pselect6: return "pselect()";
    case SYS_epoll_pwait: return "epoll_pwait()";
    case SYS_wait4: return "waitpid()";
    case SYS_waitid: return "waitid()";
    case SYS_futex: return "a futex wait (a lock, condition or sem_wait)";
    case SYS_semop:
    case SYS_semtimedop: return "semop()";
    case SYS_msgrcv: return "msgrcv()";
    case SYS_msgsnd: return "msgsnd()";
    case SYS_mq_timedreceive: return "mq_receive()";
    case SYS_mq_timedsend: return "mq_send()";
    case SYS_rt_sigsuspend: return "sigsuspend()";
    case SYS_rt_sigtimedwait: return "sigwaitinfo()";
    case SYS_nanosleep:
    case SYS_clock_nanosleep: return "nanosleep()";
    case SYS_flock: return "flock()";
    case SYS_fcntl: return "fcntl()";
#ifdef SYS_open
    case SYS_open: return "open()";
#endif
#ifdef SYS_pause
    case SYS_pause: return "pause()";
#endif
#ifdef SYS_poll
    case SYS_poll: return "poll()";
#endif
#ifdef SYS_select
    case SYS_select: return "select()";
#endif
#ifdef SYS_epoll_wait
    case SYS_epoll_wait: return "epoll_wait()";
#endif
    default: return "system call " + std::to_string(nr);
  }
}

}  // namespace ipclab::asleep
