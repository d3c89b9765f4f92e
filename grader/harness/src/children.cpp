#include "ipclab/children.hpp"

#include <sys/wait.h>

#include "ipclab/expect.hpp"

namespace ipclab::children {

std::string ended(pid_t pid) {
  int st = 0;
  return waitpid(pid, &st, 0) < 0 ? "not a child" : expect::wait_status(st);
}

int reap(pid_t pid) {
  int st = 0;
  if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st)) return -1;
  return WEXITSTATUS(st);
}

}  // namespace ipclab::children
