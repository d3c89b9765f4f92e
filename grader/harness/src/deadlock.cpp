// Deadlock: the wait-for picture of a running call, read from /proc, and when to stop it.
//
// A call is deadlocked when every thread of every one of its processes is
// blocked in a wait that only a process of the call could end (a pipe whose
// other ends they alone hold, a child, a FIFO's other side, an XSI, futex or
// socket wait, a signal), no timer could end one (a timed wait, a sleep, a
// SIGALRM handler, a POSIX timer), and not one of them ran between two
// samples. The checker feeds and drains some pipes: a wait on those is not a
// deadlock while it holds its end. Limit: an alarm() whose SIGALRM has no
// handler is not looked for; it would only have killed the process.
#include "deadlock.hpp"

#include <signal.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>
#include <set>

#include "deadlock_waits.hpp"
#include "diagnose.hpp"
#include "ipclab/isolation.hpp"

namespace ipclab::sandbox::deadlock {
namespace {

std::string task_file(pid_t pid, pid_t tid, const char* name) {
  return "/proc/" + std::to_string(pid) + "/task/" + std::to_string(tid) + "/" + name;
}

char state_of(pid_t pid, pid_t tid) {
  std::ifstream in(task_file(pid, tid, "stat"));
  std::string line;
  std::getline(in, line);
  auto close = line.rfind(')');
  return close == std::string::npos || close + 2 >= line.size() ? '?' : line[close + 2];
}

// Whether an alarm() or ITIMER_REAL is pending in any process of the machine
// (the kernel lists them, without their owner, in /proc/timer_list); true
// when that cannot be read. Many programs (sort) catch SIGALRM only to clean
// up: their handler matters only when an alarm is pending somewhere.
bool alarm_pending_anywhere() {
  std::ifstream in("/proc/timer_list");
  if (!in) return true;
  for (std::string word; in >> word;)
    if (word == "it_real_fn,") return true;
  return false;
}

// A timer that may end a wait without any process of the call moving.
std::string timer_of(pid_t pid) {
  std::string base = "/proc/" + std::to_string(pid) + "/";
  std::ifstream status(base + "status");
  for (std::string key; status >> key;) {
    if (key != "SigCgt:") continue;
    std::string mask;
    status >> mask;
    bool catches = std::strtoull(mask.c_str(), nullptr, 16) & (1ull << (SIGALRM - 1));
    if (catches && alarm_pending_anywhere())
      return "process " + std::to_string(pid) + " handles SIGALRM (an alarm may be set)";
  }
  std::ifstream timers(base + "timers");
  std::string any;
  if (timers >> any) return "process " + std::to_string(pid) + " has a POSIX timer";
  return "";
}

using progress = std::vector<std::tuple<pid_t, long long, long long>>;

// Each thread's CPU time (ns) and how often it was scheduled: unchanged
// between two samples means it did not run at all in between.
progress progress_of(const picture& pic) {
  progress out;
  for (const auto& w : pic.waiters) {
    std::ifstream in(task_file(w.pid, w.tid, "schedstat"));
    long long run = -1, waited = -1, slices = -1;
    in >> run >> waited >> slices;
    out.emplace_back(w.tid, run, slices);
  }
  return out;
}

std::string label(const waiter& w) {
  std::string id = std::to_string(w.pid);
  if (w.tid != w.pid) id += "/" + std::to_string(w.tid);
  return id + " (" + w.command + ")";
}

// A cycle among the waiters, by following each to a process that could end its wait.
std::vector<pid_t> find_cycle(const std::vector<waiter>& ws) {
  std::map<pid_t, std::set<pid_t>> next;
  for (const auto& w : ws) next[w.pid].insert(w.wakers.begin(), w.wakers.end());
  for (const auto& [start, unused] : next) {
    std::vector<pid_t> path{start};
    std::set<pid_t> seen{start};
    pid_t at = start;
    while (!next[at].empty()) {
      // Prefer stepping to another process: a self-loop says less.
      pid_t step = *next[at].begin();
      for (pid_t n : next[at])
        if (n != at && next.count(n)) {
          step = n;
          break;
        }
      if (seen.count(step)) {
        auto from = std::find(path.begin(), path.end(), step);
        std::vector<pid_t> cycle(from, path.end());
        cycle.push_back(step);
        return cycle;
      }
      path.push_back(step);
      seen.insert(step);
      at = step;
    }
  }
  return {};
}

}  // namespace

bool picture::stuck() const {
  return timer.empty() && !waiters.empty() &&
         std::all_of(waiters.begin(), waiters.end(),
                     [](const waiter& w) { return w.how == stance::inside; });
}

std::string picture::drawing() const {
  std::size_t left = 7, middle = 8;
  for (const auto& w : waiters) {
    left = std::max(left, label(w).size());
    middle = std::max(middle, w.waits_on.size());
  }
  auto row = [&](const std::string& a, const std::string& b, const std::string& c) {
    std::string line = a + std::string(left - a.size() + 2, ' ') + b;
    if (!c.empty()) line += std::string(middle - b.size() + 2, ' ') + "--> " + c;
    return line + "\n";
  };
  std::string out = "```text\n" + row("process", "waits on", "who could end the wait");
  for (const auto& w : waiters) out += row(label(w), w.waits_on, w.held_by);
  auto cycle = find_cycle(waiters);
  if (!cycle.empty()) {
    std::string path;
    for (pid_t p : cycle) path += (path.empty() ? "" : " -> ") + std::to_string(p);
    out += "cycle: " + path + " (each waits for the next; none can move)\n";
  }
  return out + "```\n";
}

picture look() {
  picture pic;
  auto call = isolation::call_processes();
  std::optional<ends> e;
  for (const auto& p : call) {
    pic.timer = timer_of(p.pid);
    if (!pic.timer.empty()) return pic;
    for (pid_t tid : observe::threads(p.pid)) {
      char state = state_of(p.pid, tid);
      if (state == 'Z' || state == 'X') continue;  // ended (a leader may end before its threads)
      waiter w;
      w.pid = p.pid;
      w.tid = tid;
      w.command = p.command;
      blocked_in b;
      if (state == 'S') b = syscall_of(p.pid, tid);
      if (b.nr >= 0) classify(w, b, call, e);
      pic.waiters.push_back(w);
      if (w.how != stance::inside) return pic;  // it may move: no need to look further
    }
  }
  return pic;
}

bool detector::stuck(pid_t call_pid, std::string& explanation) {
  auto pic = look();
  if (!pic.stuck()) {
    streak_ = 0;
    return false;
  }
  auto now = progress_of(pic);
  streak_ = streak_ > 0 && now == last_ ? streak_ + 1 : 1;
  last_ = std::move(now);
  if (streak_ < 2) return false;
  explanation = diagnose_stuck(call_pid) + pic.drawing();
  return true;
}

}  // namespace ipclab::sandbox::deadlock
