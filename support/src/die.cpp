// The demos' error reporting: one formatter, three ways to leave.
#include "ipclab/die.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace ipclab {
namespace {

// Builds the whole line first so that one write() carries it, even when
// several processes of a demo report at once.
void report(std::string_view what, int err, bool with_errno) {
  std::string line = program_invocation_short_name;
  line += ": ";
  line += what;
  if (with_errno) {
    line += ": ";
    line += errno_name(err);
    line += " (";
    line += std::strerror(err);
    line += ")";
  }
  line += "\n";
  std::fflush(stdout);
  [[maybe_unused]] auto n = ::write(STDERR_FILENO, line.data(), line.size());
}

}  // namespace

const char* errno_name(int err) noexcept {
  const char* name = ::strerrorname_np(err);
  return name ? name : "errno ?";
}

void die_errno(std::string_view what) {
  report(what, errno, true);
  std::exit(1);
}

void die(std::string_view message) {
  report(message, 0, false);
  std::exit(1);
}

void warn_errno(std::string_view what) {
  int saved = errno;
  report(what, saved, true);
  errno = saved;
}

void child_die_errno(std::string_view what) {
  report(what, errno, true);
  ::_exit(127);
}

}  // namespace ipclab
