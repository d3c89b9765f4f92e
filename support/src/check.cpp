// Checked calls: the throwing side of check.hpp.
#include "ipclab/check.hpp"

#include <cerrno>
#include <string>

namespace ipclab {

void throw_errno(int err, std::string_view what) {
  throw std::system_error(err, std::generic_category(), std::string(what));
}

bool check_try(int rc, std::string_view what) {
  if (rc >= 0) return true;
  if (errno == EAGAIN || errno == EWOULDBLOCK) return false;
  throw_errno(errno, what);
}

}  // namespace ipclab
