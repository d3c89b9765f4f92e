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
    default: return "";
  }
}

}  // namespace

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
      return std::string("the call crashed with ") + sigabbrev_np(sig) + ": " + strsignal(sig) +
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
  }
  return "?";
}

}  // namespace ipclab::sandbox
