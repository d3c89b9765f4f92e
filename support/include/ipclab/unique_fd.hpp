/// @file unique_fd.hpp
/// @brief An owning file descriptor (move-only) and a non-owning view of one.
#pragma once

#include <unistd.h>

#include <cerrno>
#include <utility>

namespace ipclab {

/// A non-owning file descriptor, for parameters: the caller keeps ownership.
class borrowed_fd {
public:
  constexpr borrowed_fd(int fd) noexcept : fd_(fd) {}  // NOLINT: implicit on purpose
  constexpr int get() const noexcept { return fd_; }

private:
  int fd_;
};

/// Owns one descriptor and closes it exactly once.
///
/// Move-only; constructed explicitly from an int; never converts back to int
/// implicitly (use get()). close() is never retried on EINTR: on Linux the
/// descriptor is already released when close returns, whatever it returns.
class unique_fd {
public:
  unique_fd() noexcept = default;
  explicit unique_fd(int fd) noexcept : fd_(fd) {}
  unique_fd(unique_fd&& other) noexcept : fd_(other.release()) {}
  unique_fd& operator=(unique_fd&& other) noexcept {
    reset(other.release());
    return *this;
  }
  unique_fd(const unique_fd&) = delete;
  unique_fd& operator=(const unique_fd&) = delete;
  ~unique_fd() { reset(); }

  /// The descriptor, or -1 when empty.
  int get() const noexcept { return fd_; }
  explicit operator bool() const noexcept { return fd_ >= 0; }
  operator borrowed_fd() const noexcept { return borrowed_fd(fd_); }  // NOLINT

  /// Gives up ownership without closing; the caller must close the result.
  [[nodiscard]] int release() noexcept { return std::exchange(fd_, -1); }

  /// Closes the owned descriptor (if any) and takes @p fd; errno is preserved.
  void reset(int fd = -1) noexcept {
    if (fd_ >= 0) {
      int saved = errno;
      ::close(fd_);
      errno = saved;
    }
    fd_ = fd;
  }

private:
  int fd_ = -1;
};

}  // namespace ipclab
