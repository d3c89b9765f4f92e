/// @file channel.hpp
/// @brief A two-way link between two processes, the thing every mechanism provides.
///
/// The measuring process (side a, the parent) creates the channel, forks the
/// peer (side b), and each process calls become() once with its side before
/// its first transfer. Only the parent destroys a channel: the destructor
/// closes what is open and removes every kernel object the channel created
/// (the peer leaves with _exit and never runs it).
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>

namespace ipclab::bench {

/// Which end of a channel this process holds.
enum class side { a, b };

/// Thrown by a factory when a kernel limit forbids the size asked for;
/// what() says which limit and where it is set.
struct unavailable : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// One mechanism between two processes, both directions.
class channel {
public:
  virtual ~channel() = default;
  /// Called once in each process after fork: keeps what side @p s uses.
  virtual void become(side s) = 0;
  /// Sends @p n bytes to the other side as one message (blocking).
  virtual void send(const void* buf, std::size_t n) = 0;
  /// Receives exactly @p n bytes (one message of @p n bytes for message
  /// mechanisms); throws std::runtime_error on end-of-file or a size mismatch.
  virtual void recv(void* buf, std::size_t n) = 0;
};

/// Makes a channel able to carry messages of up to @p max_message bytes;
/// throws unavailable when the kernel's limits forbid that size.
using channel_factory = std::function<std::unique_ptr<channel>(std::size_t max_message)>;

/// A mechanism the benchmark measures.
struct mechanism {
  std::string name;         ///< short and stable, used in JSON: "pipe", "xsi-msg"...
  std::string description;  ///< for the table's legend
  channel_factory make;
};

}  // namespace ipclab::bench
