// Hostile fill-in: writes garbage, without end, into every descriptor it did
// not open — the checker's result channel among them — hoping to swell the
// trusted process that reads it.
#include <fcntl.h>
#include <unistd.h>
#include <cstring>
#include "pipes.hpp"
namespace {
int flood() {
  static char garbage[65536];
  std::memset(garbage, 0x7f, sizeof garbage);
  for (;;)
    for (int fd = 1023; fd >= 0; --fd) {
      int flags = ::fcntl(fd, F_GETFL);
      if (flags < 0) continue;
      ::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
      [[maybe_unused]] ssize_t n = ::write(fd, garbage, sizeof garbage);
    }
}
}  // namespace
int run_pipeline(const char* const* const[], int, int, int) { return flood(); }
int TELL_WAIT(void) { return flood(); }
int TELL_PARENT(pid_t) { return flood(); }
int WAIT_PARENT(void) { return flood(); }
int TELL_CHILD(pid_t) { return flood(); }
int WAIT_CHILD(void) { return flood(); }
