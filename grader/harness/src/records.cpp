// Framing of the records a call sends its parent, and checking them.
#include "records.hpp"

#include <sys/random.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>

#include "ipclab/io.hpp"

namespace ipclab::sandbox::records {
namespace {

constexpr std::size_t kSealSize = sizeof(seal::bytes);
constexpr std::size_t kHeader = kSealSize + 1 + sizeof(std::uint32_t);

bool known(char t) {
  for (type k : {baseline, message, returned, load_failed, threw, out_of_memory, student_call})
    if (t == k) return true;
  return false;
}

}  // namespace

seal seal::make() {
  seal s;
  std::size_t got = 0;
  while (got < s.bytes.size()) {
    ssize_t n = ::getrandom(s.bytes.data() + got, s.bytes.size() - got, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw std::system_error(errno, std::generic_category(), "getrandom()");
    got += static_cast<std::size_t>(n);
  }
  return s;
}

bool put(int fd, const seal& s, type t, std::string_view payload) noexcept {
  payload = payload.substr(0, kMaxPayload);
  std::string frame(kHeader, '\0');
  std::memcpy(frame.data(), s.bytes.data(), kSealSize);
  frame[kSealSize] = t;
  auto n = static_cast<std::uint32_t>(payload.size());
  std::memcpy(frame.data() + kSealSize + 1, &n, sizeof n);
  frame.append(payload);
  return ipclab::writen(fd, frame.data(), frame.size()) == static_cast<ssize_t>(frame.size());
}

state take(std::string& buf, const seal& s, record& out) {
  std::size_t seal_part = std::min(buf.size(), kSealSize);
  if (std::memcmp(buf.data(), s.bytes.data(), seal_part) != 0) return state::forged;
  if (buf.size() > kSealSize && !known(buf[kSealSize])) return state::forged;
  if (buf.size() < kHeader) return state::incomplete;
  std::uint32_t n = 0;
  std::memcpy(&n, buf.data() + kSealSize + 1, sizeof n);
  if (n > kMaxPayload) return state::forged;  // put() never sends one
  if (buf.size() < kHeader + std::size_t{n}) return state::incomplete;
  out = record{static_cast<type>(buf[kSealSize]), buf.substr(kHeader, n)};
  buf.erase(0, kHeader + std::size_t{n});
  return state::complete;
}

}  // namespace ipclab::sandbox::records
