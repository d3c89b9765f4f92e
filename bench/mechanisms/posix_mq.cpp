// POSIX message queues: two queues, one per direction, unlinked as soon as
// both are open (the peer inherits the descriptors across fork).
#include <fcntl.h>
#include <mqueue.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "ipclab/check.hpp"
#include "kernel_limits.hpp"
#include "mechanisms.hpp"
#include "process.hpp"
#include "scratch.hpp"

namespace ipclab::bench {
namespace {

/// Opens a new queue for messages of @p msgsize bytes and unlinks its name.
mqd_t open_unlinked_queue(const std::string& name, std::size_t msgsize) {
  mq_attr attr{};
  // Up to 8 messages (the default msg_max is 10), at most 256 KiB per queue:
  // two queues stay within the default RLIMIT_MSGQUEUE (800 KiB).
  attr.mq_maxmsg = static_cast<long>(std::clamp<std::size_t>((256u << 10) / msgsize, 2, 8));
  attr.mq_msgsize = static_cast<long>(msgsize);
  mqd_t q = ::mq_open(name.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600, &attr);
  if (q == static_cast<mqd_t>(-1)) {
    int err = errno;
    const std::string limit = "/proc/sys/fs/mqueue/msgsize_max";
    // Unprivileged, msgsize is capped by msgsize_max (root may go beyond);
    // the bytes of all queues by RLIMIT_MSGQUEUE.
    if (err == EINVAL && static_cast<long>(msgsize) > read_limit(limit))
      throw unavailable(describe_limit("msgsize_max", limit) +
                        "; only a process with CAP_SYS_RESOURCE may exceed it");
    if (err == EMFILE)
      throw unavailable("the queues would exceed RLIMIT_MSGQUEUE (ulimit -q)");
    throw_errno(err, "mq_open(" + name + ")");
  }
  ::mq_unlink(name.c_str());
  return q;
}

class posix_mq_channel : public channel {
public:
  explicit posix_mq_channel(std::size_t max_message) : buf_(max_message) {
    static int serial = 0;
    std::string base = posix_ipc_name("mq" + std::to_string(++serial));
    a_to_b_ = open_unlinked_queue(base + ".ab", max_message);
    try {
      b_to_a_ = open_unlinked_queue(base + ".ba", max_message);
    } catch (...) {
      ::mq_close(a_to_b_);
      throw;
    }
  }
  ~posix_mq_channel() override {
    ::mq_close(a_to_b_);
    ::mq_close(b_to_a_);
  }

  void become(side s) override {
    out_ = s == side::a ? a_to_b_ : b_to_a_;
    in_ = s == side::a ? b_to_a_ : a_to_b_;
  }

  void send(const void* data, std::size_t n) override {
    throw_if_interrupted();
    while (::mq_send(out_, static_cast<const char*>(data), n, 0) < 0)
      if (!retry_after(errno)) throw_errno(errno, "mq_send(" + std::to_string(n) + " bytes)");
  }

  void recv(void* data, std::size_t n) override {
    throw_if_interrupted();
    ssize_t got;
    // mq_receive wants a buffer of at least mq_msgsize bytes.
    while ((got = ::mq_receive(in_, buf_.data(), buf_.size(), nullptr)) < 0)
      if (!retry_after(errno)) throw_errno(errno, "mq_receive()");
    if (static_cast<std::size_t>(got) != n)
      throw std::runtime_error("mq_receive: expected " + std::to_string(n) + " bytes, got " +
                               std::to_string(got));
    std::memcpy(data, buf_.data(), n);
  }

private:
  std::vector<char> buf_;
  mqd_t a_to_b_ = -1, b_to_a_ = -1, out_ = -1, in_ = -1;
};

}  // namespace

std::unique_ptr<channel> make_posix_mq_channel(std::size_t max_message) {
  return std::make_unique<posix_mq_channel>(max_message);
}

}  // namespace ipclab::bench
