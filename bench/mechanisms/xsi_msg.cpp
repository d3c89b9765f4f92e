// XSI message queues: one private queue, message type 1 for a->b, 2 for b->a.
#include <sys/ipc.h>
#include <sys/msg.h>

#include <cstring>
#include <string>
#include <vector>

#include "ipclab/check.hpp"
#include "kernel_limits.hpp"
#include "mechanisms.hpp"
#include "process.hpp"

namespace ipclab::bench {
namespace {

class xsi_msg_channel : public channel {
public:
  explicit xsi_msg_channel(std::size_t max_message)
      : buf_(sizeof(long) + max_message) {
    // msgsnd refuses (EINVAL) a message longer than msgmax, even for root,
    // and blocks forever on one longer than the queue's size (msgmnb).
    const std::string msgmax = "/proc/sys/kernel/msgmax", msgmnb = "/proc/sys/kernel/msgmnb";
    if (static_cast<long>(max_message) > read_limit(msgmax))
      throw unavailable(describe_limit("msgmax", msgmax));
    if (static_cast<long>(max_message) > read_limit(msgmnb))
      throw unavailable(describe_limit("msgmnb", msgmnb));
    id_ = check_unix(::msgget(IPC_PRIVATE, IPC_CREAT | 0600), "msgget(IPC_PRIVATE)");
  }
  ~xsi_msg_channel() override { ::msgctl(id_, IPC_RMID, nullptr); }

  void become(side s) override {
    out_type_ = s == side::a ? 1 : 2;
    in_type_ = s == side::a ? 2 : 1;
  }

  void send(const void* data, std::size_t n) override {
    std::memcpy(buf_.data(), &out_type_, sizeof(long));
    std::memcpy(buf_.data() + sizeof(long), data, n);
    throw_if_interrupted();
    while (::msgsnd(id_, buf_.data(), n, 0) < 0)
      if (!retry_after(errno)) throw_errno(errno, "msgsnd(" + std::to_string(n) + " bytes)");
  }

  void recv(void* data, std::size_t n) override {
    throw_if_interrupted();
    ssize_t got;
    while ((got = ::msgrcv(id_, buf_.data(), buf_.size() - sizeof(long), in_type_, 0)) < 0)
      if (!retry_after(errno)) throw_errno(errno, "msgrcv()");
    if (static_cast<std::size_t>(got) != n)
      throw std::runtime_error("msgrcv: expected " + std::to_string(n) + " bytes, got " +
                               std::to_string(got));
    std::memcpy(data, buf_.data() + sizeof(long), n);
  }

private:
  std::vector<char> buf_;  ///< struct msgbuf: a long type, then the bytes
  int id_ = -1;
  long out_type_ = 0, in_type_ = 0;
};

}  // namespace

std::unique_ptr<channel> make_xsi_msg_channel(std::size_t max_message) {
  return std::make_unique<xsi_msg_channel>(max_message);
}

}  // namespace ipclab::bench
