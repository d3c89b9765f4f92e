// Whole transfers over descriptors that may return short counts.
#include "ipclab/io.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

namespace ipclab {

ssize_t readn(int fd, void* buf, std::size_t n) noexcept {
  auto* p = static_cast<char*>(buf);
  std::size_t done = 0;
  while (done < n) {
    ssize_t got = ::read(fd, p + done, n - done);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return -1;
    if (got == 0) break;  // end of file: the caller sees a short count
    done += static_cast<std::size_t>(got);
  }
  return static_cast<ssize_t>(done);
}

ssize_t writen(int fd, const void* buf, std::size_t n) noexcept {
  const auto* p = static_cast<const char*>(buf);
  std::size_t done = 0;
  while (done < n) {
    ssize_t put = ::write(fd, p + done, n - done);
    if (put < 0 && errno == EINTR) continue;
    if (put < 0) return -1;
    done += static_cast<std::size_t>(put);
  }
  return static_cast<ssize_t>(done);
}

bool write_control_file(const char* path, std::string_view text) noexcept {
  int fd = ::open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;
  bool whole = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::close(fd);
  return whole;
}

}  // namespace ipclab
