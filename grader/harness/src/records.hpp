// The framing of the call's reports to the parent: [type][u32 length][bytes].
#pragma once

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

/// Writes one record with a single write() when it fits in PIPE_BUF.
bool put(int fd, type t, std::string_view payload) noexcept;

/// Takes one complete record off the front of @p buf, if there is one.
struct record {
  type t;
  std::string payload;
};
std::optional<record> take(std::string& buf);

}  // namespace ipclab::sandbox::records
