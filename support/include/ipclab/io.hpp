/// @file io.hpp
/// @brief Whole transfers: readn/writen survive EINTR and short counts.
#pragma once

#include <sys/types.h>

#include <cstddef>

namespace ipclab {

/// Reads up to @p n bytes, retrying on EINTR and short reads.
/// @return the bytes read: @p n, or fewer only at end-of-file; -1 with errno
///         set on error (bytes read before the error are lost to the caller).
ssize_t readn(int fd, void* buf, std::size_t n) noexcept;

/// Writes all @p n bytes, retrying on EINTR and short writes.
/// @return @p n, or -1 with errno set (EPIPE when the reader has gone and
///         SIGPIPE is ignored).
ssize_t writen(int fd, const void* buf, std::size_t n) noexcept;

}  // namespace ipclab
