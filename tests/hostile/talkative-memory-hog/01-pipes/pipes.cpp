// Hostile fill-in: starts children that each keep 192 MiB (under each
// process's own limit, 1.5 GiB in all), and prints a line every 100 ms, so
// the call is never quiet for long.
#include <time.h>
#include <unistd.h>
#include <cstdio>
#include <cstdlib>
#include "pipes.hpp"
namespace {
int hog_and_talk() {
  for (int round = 0;; ++round) {
    if (round < 8 && ::fork() == 0) {
      std::size_t size = std::size_t{192} << 20;
      // Through a volatile pointer: memory written and never read is
      // otherwise not allocated at all.
      auto* p = static_cast<volatile char*>(std::malloc(size));
      for (std::size_t i = 0; p != nullptr && i < size; i += 4096) p[i] = 1;
      ::pause();
      ::_exit(0);
    }
    std::printf("round %d: still working\n", round);
    std::fflush(stdout);
    timespec tick{0, 100 * 1000 * 1000};
    ::nanosleep(&tick, nullptr);
  }
}
}  // namespace
int run_pipeline(const char* const* const[], int, int, int) { return hog_and_talk(); }
int TELL_WAIT(void) { return hog_and_talk(); }
int TELL_PARENT(pid_t) { return hog_and_talk(); }
int WAIT_PARENT(void) { return hog_and_talk(); }
int TELL_CHILD(pid_t) { return hog_and_talk(); }
int WAIT_CHILD(void) { return hog_and_talk(); }
