// Hostile fill-in: exits while the module is being loaded.
#include <cstdlib>
#include "pipes.hpp"
namespace {
struct quitter {
  quitter() { std::exit(0); }
} at_load;
}  // namespace
int run_pipeline(const char* const* const[], int, int, int) { return 0; }
