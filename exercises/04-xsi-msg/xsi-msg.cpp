// Chapter 04 — XSI message queues. Fill in each function; the contract is xsi-msg.hpp.
// Check your work with:  ./ipclab check xsi-msg
#include "xsi-msg.hpp"

#include <errno.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <unistd.h>

#include <cstddef>
#include <cstring>

int mbox_open(const char* path, int proj_id, int perms) {
  // TODO: check the arguments (EINVAL); turn path and proj_id into a key
  // with ftok(); msgget() that key with IPC_CREAT and the permission bits.
  (void)path, (void)proj_id, (void)perms;
  errno = ENOSYS;
  return -1;
}

int mbox_send(int id, long type, const void* data, size_t len) {
  // TODO: check the arguments (EINVAL); build a buffer holding the type (a
  // long) followed by the len payload bytes; msgsnd() it. The size msgsnd
  // takes is the payload's only.
  (void)id, (void)type, (void)data, (void)len;
  errno = ENOSYS;
  return -1;
}

ssize_t mbox_recv(int id, long type, long* got_type, void* buf, size_t cap, int flags) {
  // TODO: check the arguments (EINVAL); msgrcv() into a buffer with room for
  // a long and cap payload bytes, passing type and flags as they are; copy
  // the type and the payload out; free the buffer.
  (void)id, (void)type, (void)got_type, (void)buf, (void)cap, (void)flags;
  errno = ENOSYS;
  return -1;
}

long mbox_count(int id) {
  // TODO: msgctl(IPC_STAT) into a struct msqid_ds and return its msg_qnum.
  (void)id;
  errno = ENOSYS;
  return -1;
}

int mbox_remove(int id) {
  // TODO: msgctl(IPC_RMID).
  (void)id;
  errno = ENOSYS;
  return -1;
}

int mbox_serve(int id, int count) {
  // TODO: count times: receive a request of type MBOX_REQUEST into a struct
  // mbox_request, upper-case its text, and send the text back with the
  // client's pid as the type. Skip malformed requests; restart on EINTR.
  (void)id, (void)count;
  errno = ENOSYS;
  return -1;
}

ssize_t mbox_call(int id, const char* text, char* reply, size_t cap) {
  // TODO: check the arguments (EINVAL); send {getpid(), text} as a request;
  // receive the message of type getpid() into reply and end it with a NUL.
  (void)id, (void)text, (void)reply, (void)cap;
  errno = ENOSYS;
  return -1;
}
