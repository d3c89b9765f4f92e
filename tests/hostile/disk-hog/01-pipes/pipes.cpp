// Hostile fill-in: every call tries to fill the disk, in /tmp, /dev/shm and
// the current folder, 4 GiB each, before doing nothing useful.
#include <fcntl.h>
#include <unistd.h>
#include <cerrno>
#include <vector>
#include "pipes.hpp"
namespace {
int hog() {
  std::vector<char> block(1 << 20, 'x');
  for (const char* path : {"/tmp/hog", "/dev/shm/hog", "hog"}) {
    int fd = ::open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd < 0) continue;
    for (int i = 0; i < 4096 && ::write(fd, block.data(), block.size()) > 0; ++i) {
    }
    ::close(fd);
  }
  errno = ENOSYS;
  return -1;
}
}  // namespace
int run_pipeline(const char* const* const[], int, int, int) { return hog(); }
int TELL_WAIT(void) { return hog(); }
int TELL_PARENT(pid_t) { return hog(); }
int WAIT_PARENT(void) { return hog(); }
int TELL_CHILD(pid_t) { return hog(); }
int WAIT_CHILD(void) { return hog(); }
