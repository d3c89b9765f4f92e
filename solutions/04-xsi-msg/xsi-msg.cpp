// Chapter 04 — XSI message queues: the reference solution. The contract is xsi-msg.hpp.
#include "xsi-msg.hpp"

#include <errno.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <unistd.h>

#include <cstddef>
#include <cstring>
#include <memory>

namespace {

// msgsnd/msgrcv want a long followed by the payload; the size they take
// counts the payload only.
struct message {
  long mtype;
  char mtext[1];
};

std::unique_ptr<char[]> message_buffer(size_t payload) {
  return std::make_unique<char[]>(offsetof(message, mtext) + payload);
}

constexpr size_t kHeader = offsetof(mbox_request, text);

// Like mbox_recv, but restarts waits that a signal interrupted.
ssize_t recv_restarting(int id, long type, long* got_type, void* buf, size_t cap, int flags) {
  ssize_t n;
  while ((n = mbox_recv(id, type, got_type, buf, cap, flags)) < 0 && errno == EINTR) {
  }
  return n;
}

int send_restarting(int id, long type, const void* data, size_t len) {
  int rc;
  while ((rc = mbox_send(id, type, data, len)) < 0 && errno == EINTR) {
  }
  return rc;
}

}  // namespace

int mbox_open(const char* path, int proj_id, int perms) {
  if (path == nullptr || proj_id < 1 || proj_id > 255 || (perms & ~0666) != 0) {
    errno = EINVAL;
    return -1;
  }
  key_t key = ftok(path, proj_id);
  if (key == -1) return -1;
  // The permission bits in the flags count only when the queue is created;
  // for an existing queue msgget checks them against the queue's own.
  return msgget(key, IPC_CREAT | perms);
}

int mbox_send(int id, long type, const void* data, size_t len) {
  if (type < 1 || (data == nullptr && len > 0)) {
    errno = EINVAL;
    return -1;
  }
  auto buf = message_buffer(len);
  std::memcpy(buf.get(), &type, sizeof type);
  if (len > 0) std::memcpy(buf.get() + offsetof(message, mtext), data, len);
  return msgsnd(id, buf.get(), len, 0);
}

ssize_t mbox_recv(int id, long type, long* got_type, void* buf, size_t cap, int flags) {
  if ((flags & ~(IPC_NOWAIT | MSG_NOERROR)) != 0 || (buf == nullptr && cap > 0)) {
    errno = EINVAL;
    return -1;
  }
  auto msg = message_buffer(cap);
  ssize_t n = msgrcv(id, msg.get(), cap, type, flags);
  if (n < 0) return -1;  // ENOMSG, E2BIG, EIDRM, EINTR... as msgrcv says
  if (got_type != nullptr) std::memcpy(got_type, msg.get(), sizeof(long));
  if (n > 0) std::memcpy(buf, msg.get() + offsetof(message, mtext), static_cast<size_t>(n));
  return n;
}

long mbox_count(int id) {
  msqid_ds ds{};
  if (msgctl(id, IPC_STAT, &ds) < 0) return -1;
  return static_cast<long>(ds.msg_qnum);
}

int mbox_remove(int id) { return msgctl(id, IPC_RMID, nullptr); }

int mbox_serve(int id, int count) {
  if (count < 1) {
    errno = EINVAL;
    return -1;
  }
  mbox_request req{};
  for (int served = 0; served < count;) {
    ssize_t n = recv_restarting(id, MBOX_REQUEST, nullptr, &req, sizeof req, MSG_NOERROR);
    if (n < 0) return -1;
    if (static_cast<size_t>(n) < kHeader || req.client < 2) continue;  // malformed: drop it
    size_t len = static_cast<size_t>(n) - kHeader;
    for (size_t i = 0; i < len; ++i)
      if (req.text[i] >= 'a' && req.text[i] <= 'z') req.text[i] = static_cast<char>(req.text[i] - 'a' + 'A');
    if (send_restarting(id, req.client, req.text, len) < 0) return -1;
    ++served;
  }
  return 0;
}

ssize_t mbox_call(int id, const char* text, char* reply, size_t cap) {
  if (text == nullptr || reply == nullptr) {
    errno = EINVAL;
    return -1;
  }
  size_t len = strnlen(text, MBOX_TEXT_MAX + 1);
  if (len > MBOX_TEXT_MAX || cap <= len) {
    errno = EINVAL;
    return -1;
  }
  mbox_request req{};
  req.client = getpid();
  std::memcpy(req.text, text, len);
  if (send_restarting(id, MBOX_REQUEST, &req, kHeader + len) < 0) return -1;
  // Only the reply typed with our pid is ours: type 0 could take another
  // client's reply, or our own request.
  ssize_t n = recv_restarting(id, req.client, nullptr, reply, cap - 1, 0);
  if (n < 0) return -1;
  reply[n] = '\0';
  return n;
}
