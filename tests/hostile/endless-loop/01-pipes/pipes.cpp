// Hostile fill-in: never returns.
#include "pipes.hpp"
int run_pipeline(const char* const* const[], int, int, int) {
  for (volatile unsigned i = 0;; ++i) {
  }
}
