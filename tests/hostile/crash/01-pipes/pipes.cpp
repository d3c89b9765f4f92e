// Hostile fill-in: dereferences a null pointer.
#include "pipes.hpp"
int run_pipeline(const char* const* const[], int, int, int) {
  volatile int* p = nullptr;
  return *p;
}
