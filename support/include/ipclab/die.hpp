/// @file die.hpp
/// @brief The demos' error vocabulary: report a failed call and stop.
///
/// Library code returns -1 and sets errno; programs (the demos) stop with
/// one of these. Messages name the call, the errno name and its text:
/// `demo-pipes: pipe(): EMFILE (Too many open files)`.
#pragma once

#include <string_view>

namespace ipclab {

/// "ENOENT" for ENOENT; "errno N" for numbers without a name.
const char* errno_name(int err) noexcept;

/// Prints @p what with errno's name and text, then exit(1).
[[noreturn]] void die_errno(std::string_view what);

/// Prints @p message (no errno), then exit(1).
[[noreturn]] void die(std::string_view message);

/// Prints @p what with errno, and returns (for errors the program survives).
void warn_errno(std::string_view what);

/// For a child after fork(): like die_errno, but leaves with _exit(127) so
/// the parent's stdio buffers and atexit handlers are not run twice.
[[noreturn]] void child_die_errno(std::string_view what);

}  // namespace ipclab
