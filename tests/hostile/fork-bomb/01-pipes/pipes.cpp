// Hostile fill-in: forks without end.
#include <unistd.h>
#include "pipes.hpp"
int run_pipeline(const char* const* const[], int, int, int) {
  for (;;) fork();
}
