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

bool ended(pid_t pid) {
  siginfo_t info{};
  return ::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid;
}

}  // namespace

bool now(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(in, line);
  auto paren = line.rfind(')');
  if (paren == std::string::npos || paren + 2 >= line.size() || line[paren + 2] != 'S') return false;
  long nr = observe::blocked_call(pid).first;
  return nr >= 0 && nr != SYS_nanosleep && nr != SYS_clock_nanosleep;
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

reached until_in(pid_t pid, std::initializer_list<long> calls) {
  std::string parked;
  auto since = std::chrono::steady_clock::now();
  for (;;) {
    if (ended(pid)) return reached::ended;
    bool sleeping = now(pid);
    long nr = observe::blocked_call(pid).first;
    if (sleeping && std::find(calls.begin(), calls.end(), nr) != calls.end()) return reached::call;
    std::string here = sleeping ? parked_at(pid) : "";
    auto t = std::chrono::steady_clock::now();
    if (here.empty() || here != parked) {
      parked = here;
      since = t;
    } else if (t - since >= std::chrono::milliseconds(kParkedMs)) {
      return reached::elsewhere;
    }
    ::sched_yield();
  }
}

}  // namespace ipclab::asleep
