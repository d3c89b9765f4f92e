// The framing of the call's reports to the parent:
// [16-byte seal][type][u32 length][bytes], checked as it arrives.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ipclab::sandbox::records {

enum type : char {
  baseline = 'B',   ///< the call's open fds before the body ran, as text
  message = 'M',    ///< a child::send() payload
  returned = 'R',   ///< "value errno"
  load_failed = 'L',///< why the module or a function could not be had
  threw = 'E',      ///< the body's exception
  out_of_memory = 'O',///< std::bad_alloc left the body
  student_call = 'F',///< "name 1": a student function returned with ENOSYS (0: without)
};

/// A random value drawn by the parent for one call and known only to that
/// call: every frame starts with it, so bytes that the student's code writes
/// into the channel (garbage, or a frame it made up) are told from the
/// harness's own. It proves nothing against code that reads it out of the
/// call's memory; it catches every write made without it.
struct seal {
  std::array<unsigned char, 16> bytes{};
  /// A fresh seal from getrandom(); throws std::system_error.
  static seal make();
};

/// The most one record may carry; the harness's own are far smaller.
constexpr std::size_t kMaxPayload = 1 << 20;

/// Writes one record with a single write() when it fits in PIPE_BUF.
bool put(int fd, const seal& s, type t, std::string_view payload) noexcept;

/// One record, as sent.
struct record {
  type t;
  std::string payload;
};

/// What the front of the parent's inbox holds.
enum class state {
  incomplete,  ///< the start of a valid frame: wait for more bytes
  complete,    ///< a whole record, taken off the inbox
  forged,      ///< bytes that are not a frame of this call's harness
};

/// Takes one complete record off the front of @p buf into @p out. Checks the
/// seal, the type and the length as soon as their bytes are there, so the
/// inbox never holds more than one frame of at most kMaxPayload bytes.
state take(std::string& buf, const seal& s, record& out);

}  // namespace ipclab::sandbox::records
