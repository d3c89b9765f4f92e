// Chapter 10 — compare. Fill in each function; the contract is compare.hpp.
// Check your work with:  ./ipclab check compare
#include "compare.hpp"

#include <errno.h>
#include <fcntl.h>
#include <sys/msg.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <climits>
#include <cstring>

int ipc_has(int kind, int property) {
  // TODO: a table with a row per ipc_kind and a column per ipc_property,
  // 1 or 0 in each cell (start from APUE's table at the end of 15.6.4, then
  // let the failing tests tell you where Linux disagrees). Out of range:
  // EINVAL.
  (void)kind, (void)property;
  errno = ENOSYS;
  return -1;
}

int ipc_persistence(int kind) {
  // TODO: which kinds outlive every process that used them, data and all?
  // Return a PERSIST_* value; out of range: EINVAL.
  (void)kind;
  errno = ENOSYS;
  return -1;
}

int probe_keeps_records(int wfd, int rfd) {
  // TODO: write 3 bytes, then 5 bytes on wfd; one read() of 64 bytes on
  // rfd. 3 bytes back: records kept (1); 8: a byte stream (0). Then read
  // the rest so nothing stays queued.
  (void)wfd, (void)rfd;
  errno = ENOSYS;
  return -1;
}

int probe_flow_control(int wfd) {
  // TODO: save the flags (F_GETFL), set O_NONBLOCK, write 1024-byte blocks
  // until EAGAIN (1) or PROBE_FLOW_LIMIT bytes went through (0); put the
  // flags back on every path.
  (void)wfd;
  errno = ENOSYS;
  return -1;
}

int probe_reliable(int wfd, int rfd, int count) {
  // TODO: both ends non-blocking; send numbered records of
  // PROBE_RECORD_SIZE bytes, reading what arrived whenever a write says
  // EAGAIN; after the last one read until EAGAIN. 1 if 0..count-1 arrived
  // once each and in order. Restore both ends' flags.
  (void)wfd, (void)rfd, (void)count;
  errno = ENOSYS;
  return -1;
}

int probe_connectionless(int sock, const char *peer_path) {
  // TODO: fill a sockaddr_un with peer_path (EINVAL if it does not fit),
  // one sendto() with MSG_DONTWAIT | MSG_NOSIGNAL. Sent: 1; EOPNOTSUPP or
  // ENOTCONN: 0; anything else: -1 with that errno.
  (void)sock, (void)peer_path;
  errno = ENOSYS;
  return -1;
}

int probe_message_types(int msqid, int *order, int cap, int *taken) {
  // TODO: msgrcv() with type -LONG_MAX and IPC_NOWAIT until ENOMSG (or cap
  // messages), storing each int payload in order[]; 1 if some number came
  // out before a smaller one.
  (void)msqid, (void)order, (void)cap, (void)taken;
  errno = ENOSYS;
  return -1;
}

int probe_priorities(mqd_t q, int *order, int cap, int *taken) {
  // TODO: mq_setattr O_NONBLOCK (keep the old attributes: they also give
  // mq_msgsize, the room mq_receive wants); mq_receive until EAGAIN (or cap
  // messages), storing each int payload in order[]; 1 if some number came
  // out before a smaller one; put the old flags back on every path.
  (void)q, (void)order, (void)cap, (void)taken;
  errno = ENOSYS;
  return -1;
}
