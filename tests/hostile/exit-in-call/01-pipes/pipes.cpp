// Hostile fill-in: leaves the process with exit(0) instead of returning.
#include <cstdlib>
#include "pipes.hpp"
int run_pipeline(const char* const* const[], int, int, int) { std::exit(0); }
