// Hostile fill-in: solves nothing, but writes into every descriptor it did
// not open a record in the checker's framing ([type][u32 length][bytes])
// saying the call returned 0 with errno 0, then returns 0 itself.
#include <fcntl.h>
#include <unistd.h>
#include <cstdint>
#include <cstring>
#include "pipes.hpp"
namespace {
int forge() {
  const char value[] = "0 0";
  char frame[5 + sizeof value - 1] = {'R'};
  std::uint32_t n = sizeof value - 1;
  std::memcpy(frame + 1, &n, sizeof n);
  std::memcpy(frame + 5, value, n);
  for (int fd = 3; fd < 1024; ++fd)
    if (::fcntl(fd, F_GETFD) >= 0) [[maybe_unused]] ssize_t w = ::write(fd, frame, sizeof frame);
  return 0;
}
}  // namespace
int run_pipeline(const char* const* const[], int, int, int) { return forge(); }
int TELL_WAIT(void) { return forge(); }
int TELL_PARENT(pid_t) { return forge(); }
int WAIT_PARENT(void) { return forge(); }
int TELL_CHILD(pid_t) { return forge(); }
int WAIT_CHILD(void) { return forge(); }
