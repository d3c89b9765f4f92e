// Waiting for a demo's children: EINTR retried, failures fatal.
#include "ipclab/reap.hpp"

#include <sys/wait.h>

#include <cerrno>
#include <string>

#include "ipclab/die.hpp"

namespace ipclab {

int wait_child(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) die_errno("waitpid()");
  return status;
}

void reap_child(pid_t pid) {
  int status = wait_child(pid);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    die("child " + std::to_string(pid) + " failed (wait status " + std::to_string(status) + ")");
}

}  // namespace ipclab
