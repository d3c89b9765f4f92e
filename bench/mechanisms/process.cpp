// Forked peers (always reaped) and the interrupt flag.
#include "process.hpp"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <utility>
#include <csignal>
#include <cstdio>
#include <exception>
#include <string>

#include "ipclab/check.hpp"

namespace ipclab::bench {
namespace {

volatile std::sig_atomic_t interrupt_seen = 0;

extern "C" void note_interrupt(int) { interrupt_seen = 1; }

}  // namespace

void catch_interrupts() {
  struct sigaction sa {};
  sa.sa_handler = note_interrupt;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: blocked calls return EINTR
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) check_unix(::sigaction(sig, &sa, nullptr), "sigaction()");
  // A write to a dead peer must fail with EPIPE and unwind, not kill us
  // before the destructors remove what we created.
  sa.sa_handler = SIG_IGN;
  check_unix(::sigaction(SIGPIPE, &sa, nullptr), "sigaction(SIGPIPE)");
}

bool interrupt_pending() noexcept { return interrupt_seen != 0; }

void throw_if_interrupted() {
  if (interrupt_pending()) throw interrupted();
}

bool retry_after(int err) {
  if (err != EINTR) return false;
  throw_if_interrupted();
  return true;
}

peer_process::peer_process(const std::function<void()>& body) {
  pid_t parent = ::getpid();
  std::fflush(nullptr);  // the child must not write the parent's buffered output again
  pid_ = check_unix(::fork(), "fork()");
  if (pid_ != 0) return;
  int status = 0;
  try {
    // Die with the parent, even when it is killed by SIGKILL.
    check_unix(::prctl(PR_SET_PDEATHSIG, SIGKILL), "prctl(PR_SET_PDEATHSIG)");
    if (::getppid() != parent) ::_exit(1);
    body();
  } catch (const interrupted&) {
    status = 1;
  } catch (const std::exception& e) {
    std::string msg = std::string("ipclab-bench: peer process: ") + e.what() + "\n";
    [[maybe_unused]] auto n = ::write(STDERR_FILENO, msg.data(), msg.size());
    status = 1;
  }
  ::_exit(status);
}

peer_process::~peer_process() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
  }
}

rusage peer_process::join() {
  int status = 0;
  rusage usage{};
  while (::wait4(pid_, &status, 0, &usage) < 0)
    if (!retry_after(errno)) throw_errno(errno, "wait4()");
  pid_t pid = std::exchange(pid_, -1);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw std::runtime_error("peer process " + std::to_string(pid) + " failed (wait status " +
                             std::to_string(status) + ")");
  return usage;
}

}  // namespace ipclab::bench
