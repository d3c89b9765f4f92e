/// @file io.hpp
/// @brief Whole transfers: readn/writen survive EINTR and short counts.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <string_view>

namespace ipclab {

/// Reads up to @p n bytes, retrying on EINTR and short reads.
/// @return the bytes read: @p n, or fewer only at end-of-file; -1 with errno
///         set on error (bytes read before the error are lost to the caller).
ssize_t readn(int fd, void* buf, std::size_t n) noexcept;

/// Writes all @p n bytes, retrying on EINTR and short writes.
/// @return @p n, or -1 with errno set (EPIPE when the reader has gone and
///         SIGPIPE is ignored).
ssize_t writen(int fd, const void* buf, std::size_t n) noexcept;

/// Writes @p text to the existing file @p path in one write(): the way to
/// set a kernel control file under /proc or /sys (uid_map, cgroup.procs...).
/// @return true when the whole text was taken.
bool write_control_file(const char* path, std::string_view text) noexcept;

}  // namespace ipclab
