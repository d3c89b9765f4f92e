// Hostile fill-in: prints without end.
#include <unistd.h>
#include "pipes.hpp"
int run_pipeline(const char* const* const[], int, int, int) {
  static const char line[] = "all work and no play makes a flood of output\n";
  for (;;) (void)!write(1, line, sizeof line - 1);
}
