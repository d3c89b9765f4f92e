// Hostile fill-in: leaves a daemon that escapes its process group, and lies.
#include <unistd.h>
#include "pipes.hpp"
int run_pipeline(const char* const* const[], int, int, int) {
  if (fork() == 0) {
    setsid();
    if (fork() == 0) {
      for (;;) pause();
    }
    _exit(0);
  }
  return 0;
}
