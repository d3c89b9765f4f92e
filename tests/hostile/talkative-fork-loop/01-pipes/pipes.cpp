// Hostile fill-in: forks in a loop that never ends, and says so every 100 ms,
// so the call is never quiet for long.
#include <time.h>
#include <unistd.h>
#include <cstdio>
#include "pipes.hpp"
namespace {
int fork_and_talk() {
  for (int round = 0;; ++round) {
    for (int i = 0; i < 8; ++i)
      if (::fork() == 0) {
        ::pause();
        ::_exit(0);
      }
    std::printf("round %d: still forking\n", round);
    std::fflush(stdout);
    timespec tick{0, 100 * 1000 * 1000};
    ::nanosleep(&tick, nullptr);
  }
}
}  // namespace
int run_pipeline(const char* const* const[], int, int, int) { return fork_and_talk(); }
int TELL_WAIT(void) { return fork_and_talk(); }
int TELL_PARENT(pid_t) { return fork_and_talk(); }
int WAIT_PARENT(void) { return fork_and_talk(); }
int TELL_CHILD(pid_t) { return fork_and_talk(); }
int WAIT_CHILD(void) { return fork_and_talk(); }
