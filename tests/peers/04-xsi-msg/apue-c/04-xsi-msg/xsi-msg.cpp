// Peer style: C in the manner of APUE 15.7 and TLPI 46. Messages are built
// in malloc()ed buffers laid out as a long followed by the payload (APUE's
// struct mymesg), and the server's request and reply use fixed structures
// on the stack. mbox_open creates exclusively first and falls back to an
// open, looping if the queue vanishes in between (TLPI's create-or-open).
// The server selects requests with a negative type, -MBOX_REQUEST ("lowest
// type up to 1"), which on this queue can only be type 1. Valid under
// xsi-msg.hpp: the same msgsnd/msgrcv sizes, types, flags and errnos.
#include "xsi-msg.hpp"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <unistd.h>

int mbox_open(const char* path, int proj_id, int perms) {
  if (path == NULL || proj_id < 1 || proj_id > 255 || (perms & ~0666) != 0) {
    errno = EINVAL;
    return -1;
  }
  key_t key = ftok(path, proj_id);
  if (key == (key_t)-1) return -1;
  for (;;) {
    int id = msgget(key, IPC_CREAT | IPC_EXCL | perms);
    if (id >= 0 || errno != EEXIST) return id;
    id = msgget(key, perms);
    if (id >= 0 || errno != ENOENT) return id;  // ENOENT: removed meanwhile, create again
  }
}

int mbox_send(int id, long type, const void* data, size_t len) {
  if (type < 1 || (data == NULL && len > 0)) {
    errno = EINVAL;
    return -1;
  }
  long* msg = (long*)malloc(sizeof(long) + len);
  if (msg == NULL) return -1;
  msg[0] = type;
  if (len > 0) memcpy(msg + 1, data, len);
  int rc = msgsnd(id, msg, len, 0);
  int saved = errno;
  free(msg);
  errno = saved;
  return rc;
}

ssize_t mbox_recv(int id, long type, long* got_type, void* buf, size_t cap, int flags) {
  if ((flags & ~(IPC_NOWAIT | MSG_NOERROR)) != 0 || (buf == NULL && cap > 0)) {
    errno = EINVAL;
    return -1;
  }
  long* msg = (long*)malloc(sizeof(long) + cap);
  if (msg == NULL) return -1;
  ssize_t n = msgrcv(id, msg, cap, type, flags);
  if (n >= 0) {
    if (got_type != NULL) *got_type = msg[0];
    if (n > 0) memcpy(buf, msg + 1, (size_t)n);
  }
  int saved = errno;
  free(msg);
  errno = saved;
  return n;
}

long mbox_count(int id) {
  struct msqid_ds ds;
  if (msgctl(id, IPC_STAT, &ds) == -1) return -1;
  return (long)ds.msg_qnum;
}

int mbox_remove(int id) { return msgctl(id, IPC_RMID, NULL); }

int mbox_serve(int id, int count) {
  if (count < 1) {
    errno = EINVAL;
    return -1;
  }
  struct {
    long mtype;
    struct mbox_request req;
  } in;
  struct {
    long mtype;
    char text[MBOX_TEXT_MAX];
  } out;
  const size_t header = offsetof(struct mbox_request, text);
  int answered = 0;
  while (answered < count) {
    ssize_t n = msgrcv(id, &in, sizeof in.req, -MBOX_REQUEST, MSG_NOERROR);
    if (n == -1) {
      if (errno == EINTR) continue;
      return -1;
    }
    if ((size_t)n < header || in.req.client < 2) continue;
    size_t len = (size_t)n - header;
    out.mtype = in.req.client;
    for (size_t i = 0; i < len; i++) {
      char c = in.req.text[i];
      out.text[i] = (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
    }
    while (msgsnd(id, &out, len, 0) == -1)
      if (errno != EINTR) return -1;
    answered++;
  }
  return 0;
}

ssize_t mbox_call(int id, const char* text, char* reply, size_t cap) {
  if (text == NULL || reply == NULL) {
    errno = EINVAL;
    return -1;
  }
  size_t len = strnlen(text, MBOX_TEXT_MAX + 1);
  if (len > MBOX_TEXT_MAX || cap <= len) {
    errno = EINVAL;
    return -1;
  }
  struct {
    long mtype;
    struct mbox_request req;
  } msg;
  msg.mtype = MBOX_REQUEST;
  msg.req.client = getpid();
  memcpy(msg.req.text, text, len);
  while (msgsnd(id, &msg, offsetof(struct mbox_request, text) + len, 0) == -1)
    if (errno != EINTR) return -1;
  ssize_t n;
  do n = mbox_recv(id, (long)msg.req.client, NULL, reply, cap - 1, 0);
  while (n == -1 && errno == EINTR);
  if (n == -1) return -1;
  reply[n] = '\0';
  return n;
}
