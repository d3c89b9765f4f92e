// Framing of the records a call sends its parent.
#include "records.hpp"

#include <cstring>

#include "ipclab/io.hpp"

namespace ipclab::sandbox::records {

bool put(int fd, type t, std::string_view payload) noexcept {
  std::string frame(5, '\0');
  frame[0] = t;
  auto n = static_cast<std::uint32_t>(payload.size());
  std::memcpy(frame.data() + 1, &n, sizeof n);
  frame.append(payload);
  return ipclab::writen(fd, frame.data(), frame.size()) == static_cast<ssize_t>(frame.size());
}

std::optional<record> take(std::string& buf) {
  if (buf.size() < 5) return std::nullopt;
  std::uint32_t n = 0;
  std::memcpy(&n, buf.data() + 1, sizeof n);
  if (buf.size() < 5 + std::size_t{n}) return std::nullopt;
  record r{static_cast<type>(buf[0]), buf.substr(5, n)};
  buf.erase(0, 5 + std::size_t{n});
  return r;
}

}  // namespace ipclab::sandbox::records
