/// @file check.hpp
/// @brief Checked calls: turn the C error conventions into std::system_error.
///
/// One helper per convention, as the calls report failure:
/// - check_unix: the call returns -1 (or any negative) and sets errno;
/// - check_posix: the call returns an error number (pthread_*, posix_spawn);
/// - check_try: a call whose "would block" outcome (EAGAIN, EWOULDBLOCK,
///   EINTR excluded) is expected, reported as false instead of thrown.
/// Every exception names the call, e.g. `sem_open("/lab.1"): File exists`.
#pragma once

#include <string_view>
#include <system_error>

namespace ipclab {

/// Throws std::system_error(err) whose what() starts with @p what.
[[noreturn]] void throw_errno(int err, std::string_view what);

/// Returns @p rc when it is not negative; otherwise throws with errno.
template <class T>
T check_unix(T rc, std::string_view what) {
  if (rc < 0) throw_errno(errno, what);
  return rc;
}

/// Throws when @p rc (an error number, 0 for success) is not 0.
inline void check_posix(int rc, std::string_view what) {
  if (rc != 0) throw_errno(rc, what);
}

/// For calls that may legitimately fail with EAGAIN/EWOULDBLOCK (a trylock,
/// a non-blocking read): true on success, false when they would block;
/// throws on any other failure.
bool check_try(int rc, std::string_view what);

}  // namespace ipclab
