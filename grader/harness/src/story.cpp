// result::story(): how a call ended, told in a student's terms.
#include <signal.h>
#include <sys/wait.h>

#include <cstring>
#include <string>

#include "child_side.hpp"
#include "ipclab/die.hpp"
#include "ipclab/sandbox.hpp"

namespace ipclab::sandbox {
namespace {

std::string signal_advice(int sig) {
  const char* sent_by_code =
      " (the system never sends it on its own: code of the call sent it, with kill(), raise(), "
      "sigqueue() or a timer, to a process that neither handles nor ignores it)";
  switch (sig) {
    case SIGSEGV:
      return " (a bad pointer: check array bounds, null pointers and argv arrays that lack their "
             "terminating nullptr)";
    case SIGPIPE:
      return " (it wrote to a pipe or socket whose read end was closed in every process: ignore "
             "SIGPIPE or handle EPIPE where the reader may go away)";
    case SIGABRT: return " (abort(): a failed assert, or memory corruption)";
    case SIGXCPU: return " (it used up its CPU time: an endless loop?)";
    case SIGKILL: return " (killed: it may have run out of memory)";
    case SIGXFSZ:
      return " (it wrote a file past the " + std::to_string(child_side::kFileLimitMiB) +
             " MiB a call may write: a loop that never stops writing?)";
    case SIGUSR1:
    case SIGUSR2: return sent_by_code;
    default: return sigabbrev_np(sig) == nullptr ? sent_by_code : "";
  }
}

}  // namespace

std::string signal_name(int sig) {
  if (const char* abbrev = sigabbrev_np(sig)) return abbrev;
  if (sig >= SIGRTMIN && sig <= SIGRTMAX)
    return sig == SIGRTMIN ? "RTMIN" : "RTMIN+" + std::to_string(sig - SIGRTMIN);
  return "signal " + std::to_string(sig);
}

std::string result::story() const {
  switch (how) {
    case ending::returned:
      return "returned " + std::to_string(value) +
             (value < 0 ? std::string(" with errno ") + errno_name(error) : std::string());
    case ending::exited:
      if (WEXITSTATUS(status) == child_side::kClosedHarnessFds)
        return "the call closed descriptors it never opened (the checker's own), so it could "
               "not report: close only the descriptors your code created";
      return "the call never returned: the process exited with status " +
             std::to_string(WEXITSTATUS(status)) +
             ". A library function must return its result, not call exit(); only a child "
             "after fork() leaves, with _exit()";
    case ending::signaled: {
      int sig = WTERMSIG(status);
      const char* what = sigdescr_np(sig);
      bool realtime = sig >= SIGRTMIN && sig <= SIGRTMAX;
      return "the call crashed with " + signal_name(sig) + ": " +
             (what ? what : realtime ? "a real-time signal" : "a signal without a name") +
             signal_advice(sig);
    }
    case ending::timed_out:
      return "the call did not finish within its time limit" +
             (detail.empty() ? std::string(" (a deadlock, or an endless loop?)")
                             : ". When it was stopped:\n" + detail);
    case ending::deadlocked:
      return "the call deadlocked, so it was stopped at once: every one of its processes was "
             "blocked waiting for another of them, and no timer could wake one. Who waited for "
             "whom:\n" + detail;
    case ending::flooded:
      return "the call printed far too much output (an endless loop printing?) and was stopped";
    case ending::load_failed: return detail;
    case ending::threw: return "the test's own code failed (not your fault?): " + detail;
    case ending::too_many_processes:
      return "the call kept " + detail +
             " processes running, about as many as a call may have, and was stopped: fork() "
             "in a loop that never ends? Fork only the children you need, and have each child "
             "_exit() when its work is done";
    case ending::out_of_memory:
      return "the call ran out of memory: it (with any children it started) asked for more "
             "than the " + std::to_string(child_side::kMemoryLimitMiB) +
             " MiB a call may use. Look for an allocation in a loop, or a size computed from an "
             "unchecked value";
    case ending::tampered:
      return "the checker's own result channel was tampered with: the call wrote bytes into a "
             "descriptor of the checker that it never opened, so nothing it reported can be "
             "trusted and the test scores 0. Write only to descriptors your code opened or was "
             "given";
  }
  return "?";
}

}  // namespace ipclab::sandbox
