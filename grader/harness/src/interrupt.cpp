// Interrupting a call while it is blocked: the call's handler, the parent's watch.
#include "interrupt.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "ipclab/check.hpp"
#include "ipclab/observe.hpp"

namespace ipclab::sandbox {
namespace {

void (*release_fn)() = nullptr;
int gate_write = -1;

void on_interrupt(int) {
  int saved = errno;
  if (release_fn != nullptr) release_fn();
  errno = saved;
}

void open_gate() {
  ::close(gate_write);
  gate_write = -1;
}

// The first looks come a millisecond apart, so a call that blocks soon is
// caught at once; then further apart, not to busy the machine (the watch
// loop checks resources on each quiet turn) while a call works its way there.
std::chrono::milliseconds look_again(int looks) { return std::chrono::milliseconds(1 + looks / 8); }

}  // namespace

void interruptible(void (*release)(), int sig) {
  release_fn = release;
  struct sigaction sa {};
  sa.sa_handler = on_interrupt;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: the blocked call fails with EINTR
  check_unix(::sigaction(sig, &sa, nullptr), "sigaction()");
}

int interrupt_gate(int sig) {
  int p[2];
  if (::pipe2(p, O_CLOEXEC) < 0) return -1;
  gate_write = p[1];
  interruptible(open_gate, sig);
  return p[0];
}

bool interrupter::in_planned_call(pid_t pid) const {
  long nr = observe::blocked_call(pid).first;
  return std::find(plan_.syscalls.begin(), plan_.syscalls.end(), nr) != plan_.syscalls.end();
}

std::chrono::milliseconds interrupter::next_wait(std::chrono::milliseconds tick) {
  if (delivered_ || plan_.syscalls.empty()) return tick;
  if (plan_.process.empty()) {
    if (in_planned_call(call_)) delivered_ = ::kill(call_, plan_.signal) == 0;
  } else {
    for (const auto& p : observe::tree(call_))
      if (p.command == plan_.process && in_planned_call(p.pid)) {
        delivered_ = ::kill(p.pid, plan_.signal) == 0;
        break;
      }
  }
  return delivered_ ? tick : std::min(tick, look_again(looks_++));
}

}  // namespace ipclab::sandbox
