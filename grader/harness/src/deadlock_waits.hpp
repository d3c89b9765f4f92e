// What one blocked thread of a call waits for, and who could end that wait.
#pragma once

#include <sys/types.h>

#include <array>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "deadlock.hpp"
#include "ipclab/observe.hpp"

namespace ipclab::sandbox::deadlock {

/// A system call a thread is blocked in, as /proc/PID/task/TID/syscall shows it.
struct blocked_in {
  long nr = -1;                      ///< -1: not blocked in a system call
  std::array<unsigned long, 6> arg{};
};

/// Reads what @p tid of @p pid is blocked in.
blocked_in syscall_of(pid_t pid, pid_t tid);

/// Every descriptor of the call's processes and of the checker, by the
/// object it opens: who holds which end of each pipe, FIFO and socket.
class ends {
public:
  /// One open end of an object.
  struct end {
    pid_t pid;
    int fd;
    bool reads, writes;
    bool in_call;  ///< false: the checker (or a process outside the call) holds it
  };
  /// What one descriptor opens.
  struct object {
    std::string target;  ///< "pipe:[4471]", "/tmp/fifo", "socket:[99]"...
    unsigned long ino = 0;
    dev_t dev = 0;
    unsigned mode = 0;   ///< S_IFMT bits
  };

  explicit ends(const std::vector<observe::process>& call);

  /// What @p fd of @p pid opens, if it is open.
  const object* find(pid_t pid, int fd) const;
  /// Every open end of @p o.
  std::vector<end> of(const object& o) const;
  /// The ends of the socket connected to @p o; nullopt when it has no peer
  /// or is not an AF_UNIX socket (@p is_unix says which).
  std::optional<std::vector<end>> peer_of(const object& o, bool& is_unix) const;

private:
  std::map<std::pair<pid_t, int>, object> by_fd_;
  std::map<std::pair<dev_t, unsigned long>, std::vector<end>> by_object_;
  std::map<unsigned long, unsigned long> unix_peer_;
  std::map<unsigned long, std::vector<end>> by_socket_;
};

/// What the blocked thread @p w (pid, tid, command filled in) waits for:
/// fills in its stance, what it waits on, who holds the other end, and the
/// call's processes that could end the wait. @p call is every process of
/// the call; @p e is built on first need.
void classify(waiter& w, const blocked_in& b, const std::vector<observe::process>& call,
              std::optional<ends>& e);

}  // namespace ipclab::sandbox::deadlock
