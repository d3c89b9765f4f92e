/// @file fd_channel.hpp
/// @brief The channel over file descriptors shared by pipes, FIFOs and sockets.
#pragma once

#include "channel.hpp"
#include "ipclab/unique_fd.hpp"

namespace ipclab::bench {

/// How bytes written become bytes read.
enum class framing {
  stream,    ///< a byte stream: recv loops until it has n bytes (readn/writen)
  datagram,  ///< records: one send is one message, recv must get exactly n bytes
};

/// The descriptors one side uses: it reads `in` and writes `out`
/// (an empty `out` means it writes `in` too, as on a socket).
struct fd_ends {
  unique_fd in;
  unique_fd out;
};

/// A channel over descriptors. Side a uses @p a, side b uses @p b; become()
/// closes the other side's descriptors, so end-of-file works as in the notes.
class fd_channel : public channel {
public:
  fd_channel(framing f, fd_ends a, fd_ends b);
  void become(side s) override;
  void send(const void* buf, std::size_t n) override;
  void recv(void* buf, std::size_t n) override;

protected:
  /// For channels whose descriptors are opened in become() (FIFOs).
  explicit fd_channel(framing f) : framing_(f) {}
  /// The descriptors this process uses from now on.
  void use(fd_ends mine);

private:
  framing framing_;
  fd_ends a_, b_, mine_;
};

}  // namespace ipclab::bench
