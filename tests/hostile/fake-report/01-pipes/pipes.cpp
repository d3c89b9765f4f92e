// Hostile fill-in: claims full marks in every way it can think of — a
// Gradescope results.json and a Catch2 summary on stdout and stderr, and
// results.json files written wherever it can — and solves nothing.
#include <cerrno>
#include <cstdio>
#include <initializer_list>
#include "pipes.hpp"
namespace {
const char kClaim[] =
    "{\"chapter\": \"01-pipes\", \"score\": 28, \"max_score\": 28, \"tests\": []}\n"
    "All tests passed (42 assertions in 13 test cases)\n";
void claim() {
  std::fputs(kClaim, stdout);
  std::fputs(kClaim, stderr);
  std::fflush(nullptr);
  for (const char* path : {"results.json", "/tmp/results.json", "../results.json"})
    if (FILE* f = std::fopen(path, "w")) {
      std::fputs(kClaim, f);
      std::fclose(f);
    }
}
struct at_load {
  at_load() { claim(); }
} claimed;
}  // namespace
int run_pipeline(const char* const* const[], int, int, int) { claim(); errno = ENOSYS; return -1; }
int TELL_WAIT(void) { claim(); errno = ENOSYS; return -1; }
int TELL_PARENT(pid_t) { errno = ENOSYS; return -1; }
int WAIT_PARENT(void) { errno = ENOSYS; return -1; }
int TELL_CHILD(pid_t) { errno = ENOSYS; return -1; }
int WAIT_CHILD(void) { errno = ENOSYS; return -1; }
