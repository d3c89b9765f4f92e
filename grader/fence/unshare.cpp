// unshare_as_self(): namespaces, with a user namespace mapped to ourselves.
#include "fence/unshare.hpp"

#include <sched.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "ipclab/io.hpp"

namespace ipclab::fence {
namespace {

bool map_to_self(const char* file, unsigned id) {
  std::string line = std::to_string(id) + " " + std::to_string(id) + " 1";
  return write_control_file(file, line);
}

}  // namespace

int unshare_as_self(int flags) noexcept {
  uid_t uid = ::geteuid();
  gid_t gid = ::getegid();
  if (uid != 0) flags |= CLONE_NEWUSER;
  if (::unshare(flags) != 0) return -1;
  if (uid == 0) return 0;
  // setgroups must be denied before an unprivileged process may write gid_map.
  if (!write_control_file("/proc/self/setgroups", "deny") ||
      !map_to_self("/proc/self/uid_map", uid) || !map_to_self("/proc/self/gid_map", gid)) {
    if (errno == 0) errno = EPERM;
    return -1;
  }
  return 0;
}

}  // namespace ipclab::fence
