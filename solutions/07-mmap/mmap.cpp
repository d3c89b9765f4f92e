// Chapter 07 — mmap: the reference solution. The contract is mmap.hpp.
#include "mmap.hpp"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

#include "ipclab/io.hpp"

void* region_map(size_t len, int kind) {
  if (len == 0 || kind < REGION_DEV_ZERO || kind > REGION_PRIVATE) {
    errno = EINVAL;
    return nullptr;
  }
  int fd = -1;
  int flags = kind == REGION_PRIVATE ? MAP_PRIVATE | MAP_ANONYMOUS : MAP_SHARED;
  if (kind == REGION_ANONYMOUS) flags |= MAP_ANONYMOUS;
  if (kind == REGION_DEV_ZERO && (fd = open("/dev/zero", O_RDWR | O_CLOEXEC)) < 0) return nullptr;
  void* area = mmap(nullptr, len, PROT_READ | PROT_WRITE, flags, fd, 0);
  if (fd >= 0) {
    int saved = errno;
    close(fd);  // the mapping keeps its own reference to the object
    errno = saved;
  }
  return area == MAP_FAILED ? nullptr : area;
}

namespace {

// One pipe per direction; a byte on it hands the turn over.
struct turns {
  int to_child[2] = {-1, -1};
  int to_parent[2] = {-1, -1};

  int open() {
    if (pipe(to_child) < 0) return -1;
    if (pipe(to_parent) == 0) return 0;
    int saved = errno;
    close(to_child[0]);
    close(to_child[1]);
    errno = saved;
    return -1;
  }
  void close_all() {
    for (int fd : {to_child[0], to_child[1], to_parent[0], to_parent[1]})
      if (fd >= 0) close(fd);
  }
};

int hand_over(int fd) { return ipclab::writen(fd, "t", 1) == 1 ? 0 : -1; }

int await_turn(int fd) {
  char c;
  ssize_t n = ipclab::readn(fd, &c, 1);
  if (n == 0) errno = EPIPE;  // the other process is gone
  return n == 1 ? 0 : -1;
}

// One turn: add 1, report the value stored.
int step(volatile long* counter, const char* who, int trace_fd) {
  long now = *counter + 1;
  *counter = now;
  std::string line = std::string(who) + " " + std::to_string(now) + "\n";
  return ipclab::writen(trace_fd, line.data(), line.size()) < 0 ? -1 : 0;
}

[[noreturn]] void child_turns(volatile long* counter, int nloops, int trace_fd, turns& t) {
  close(t.to_child[1]);
  close(t.to_parent[0]);
  for (int i = 0; i < nloops; ++i)
    if (await_turn(t.to_child[0]) < 0 || step(counter, "child", trace_fd) < 0 ||
        hand_over(t.to_parent[1]) < 0)
      _exit(1);
  _exit(0);
}

}  // namespace

long count_alternately(int kind, int nloops, int trace_fd) {
  if (nloops < 1 || (kind != REGION_DEV_ZERO && kind != REGION_ANONYMOUS)) {
    errno = EINVAL;
    return -1;
  }
  auto* counter = static_cast<volatile long*>(region_map(sizeof(long), kind));
  if (counter == nullptr) return -1;
  turns t;
  pid_t pid = -1;
  if (t.open() == 0 && (pid = fork()) == 0) child_turns(counter, nloops, trace_fd, t);
  int rc = pid < 0 ? -1 : 0;
  for (int i = 0; i < nloops && rc == 0; ++i)
    if (step(counter, "parent", trace_fd) < 0 || hand_over(t.to_child[1]) < 0 ||
        await_turn(t.to_parent[0]) < 0)
      rc = -1;
  int saved = errno;
  t.close_all();  // on failure the child sees end-of-file and leaves
  int status = 0;
  if (pid > 0)
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
  long result = *counter;
  munmap(const_cast<long*>(counter), sizeof(long));
  errno = saved;
  return rc == 0 ? result : -1;
}

struct msg_slot {
  pthread_mutex_t lock;
  pthread_cond_t changed;  // signalled on every put and take
  bool full;
  size_t len;
  unsigned char data[SLOT_MAX];
};

struct msg_slot* slot_create(void) {
  auto* s = static_cast<msg_slot*>(region_map(sizeof(msg_slot), REGION_ANONYMOUS));
  if (s == nullptr) return nullptr;
  pthread_mutexattr_t ma;
  pthread_condattr_t ca;
  pthread_mutexattr_init(&ma);
  pthread_condattr_init(&ca);
  // Without PTHREAD_PROCESS_SHARED, another process may not use them.
  pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
  pthread_condattr_setpshared(&ca, PTHREAD_PROCESS_SHARED);
  int err = pthread_mutex_init(&s->lock, &ma);
  if (err == 0 && (err = pthread_cond_init(&s->changed, &ca)) != 0) pthread_mutex_destroy(&s->lock);
  pthread_mutexattr_destroy(&ma);
  pthread_condattr_destroy(&ca);
  if (err != 0) {
    munmap(s, sizeof(msg_slot));
    errno = err;
    return nullptr;
  }
  return s;  // full == false and len == 0: the region starts zeroed
}

namespace {

// Locks the slot and waits until full == want (or fails with EAGAIN when
// nowait); on success the caller holds the lock.
int lock_when(msg_slot* s, bool want, bool nowait) {
  pthread_mutex_lock(&s->lock);
  while (s->full != want) {
    if (nowait) {
      pthread_mutex_unlock(&s->lock);
      errno = EAGAIN;
      return -1;
    }
    pthread_cond_wait(&s->changed, &s->lock);
  }
  return 0;
}

void unlock_changed(msg_slot* s) {
  pthread_cond_broadcast(&s->changed);
  pthread_mutex_unlock(&s->lock);
}

}  // namespace

int slot_put(struct msg_slot* slot, const void* msg, size_t len, int flags) {
  if (slot == nullptr || (msg == nullptr && len > 0) || (flags & ~SLOT_NOWAIT) != 0) {
    errno = EINVAL;
    return -1;
  }
  if (len > SLOT_MAX) {
    errno = EMSGSIZE;
    return -1;
  }
  if (lock_when(slot, false, flags & SLOT_NOWAIT) < 0) return -1;
  if (len > 0) memcpy(slot->data, msg, len);
  slot->len = len;
  slot->full = true;
  unlock_changed(slot);
  return 0;
}

ssize_t slot_take(struct msg_slot* slot, void* buf, size_t cap, int flags) {
  if (slot == nullptr || buf == nullptr || (flags & ~SLOT_NOWAIT) != 0) {
    errno = EINVAL;
    return -1;
  }
  if (lock_when(slot, true, flags & SLOT_NOWAIT) < 0) return -1;
  size_t len = slot->len;
  if (len > cap) {
    pthread_mutex_unlock(&slot->lock);  // the message stays
    errno = EMSGSIZE;
    return -1;
  }
  memcpy(buf, slot->data, len);
  slot->full = false;
  unlock_changed(slot);
  return static_cast<ssize_t>(len);
}

int slot_destroy(struct msg_slot* slot) {
  if (slot == nullptr) {
    errno = EINVAL;
    return -1;
  }
  pthread_cond_destroy(&slot->changed);
  pthread_mutex_destroy(&slot->lock);
  return munmap(slot, sizeof(msg_slot));
}
