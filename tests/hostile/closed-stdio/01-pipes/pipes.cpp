// Hostile fill-in: closes every descriptor it has, including the harness's.
#include <errno.h>
#include <unistd.h>
#include "pipes.hpp"
int run_pipeline(const char* const* const[], int, int, int) {
  for (int fd = 0; fd < 1024; ++fd) close(fd);
  errno = ENOSYS;
  return -1;
}
