// Peer style: process-shared unnamed POSIX semaphores (sem_init with
// pshared = 1) instead of pthread mutexes and condition variables, and
// instead of pipes. count_alternately hands the turn over with two
// semaphores kept in the counter's own page: region_map(sizeof(long))
// returns a whole page and the contract lets every byte of it be used. The
// message slot is the classic "empty"/"full" semaphore pair around one
// buffer, mapped from /dev/zero; a take whose buffer is too small puts the
// "full" token back. Valid under mmap.hpp: region kinds, trace, count and
// slot semantics are the ones it states, and nothing outlives the calls.
#include "mmap.hpp"

#include <errno.h>
#include <fcntl.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

void* region_map(size_t len, int kind) {
  int flags;
  switch (kind) {
    case REGION_DEV_ZERO: flags = MAP_SHARED; break;
    case REGION_ANONYMOUS: flags = MAP_SHARED | MAP_ANONYMOUS; break;
    case REGION_PRIVATE: flags = MAP_PRIVATE | MAP_ANONYMOUS; break;
    default: errno = EINVAL; return nullptr;
  }
  if (len == 0) {
    errno = EINVAL;
    return nullptr;
  }
  int fd = -1;
  if (kind == REGION_DEV_ZERO) {
    fd = open("/dev/zero", O_RDWR);
    if (fd == -1) return nullptr;
  }
  void* p = mmap(nullptr, len, PROT_READ | PROT_WRITE, flags, fd, 0);
  int saved = errno;
  if (fd != -1) close(fd);
  errno = saved;
  return p == MAP_FAILED ? nullptr : p;
}

namespace {

// What shares the counter's page, after the counter.
struct turn_state {
  sem_t parent_go;  // 1 at the start: the parent plays first
  sem_t child_go;
  int failed;       // 0, or the errno of the side that gave up
};
constexpr size_t kTurnOffset = 64;

int wait_sem(sem_t* s) {
  while (sem_wait(s) == -1)
    if (errno != EINTR) return -1;
  return 0;
}

int play(volatile long* counter, const char* who, int fd) {
  long v = *counter + 1;
  *counter = v;
  char line[48];
  int len = snprintf(line, sizeof line, "%s %ld\n", who, v);
  for (int off = 0; off < len;) {
    ssize_t n = write(fd, line + off, static_cast<size_t>(len - off));
    if (n == -1) {
      if (errno == EINTR) continue;
      return -1;
    }
    off += static_cast<int>(n);
  }
  return 0;
}

}  // namespace

long count_alternately(int kind, int nloops, int trace_fd) {
  if (nloops < 1 || (kind != REGION_DEV_ZERO && kind != REGION_ANONYMOUS)) {
    errno = EINVAL;
    return -1;
  }
  if (sysconf(_SC_PAGESIZE) < static_cast<long>(kTurnOffset + sizeof(turn_state))) {
    errno = ENOMEM;
    return -1;
  }
  void* page = region_map(sizeof(long), kind);
  if (page == nullptr) return -1;
  volatile long* counter = static_cast<volatile long*>(page);
  turn_state* t = reinterpret_cast<turn_state*>(static_cast<char*>(page) + kTurnOffset);
  if (sem_init(&t->parent_go, 1, 1) == -1 || sem_init(&t->child_go, 1, 0) == -1) {
    int saved = errno;
    munmap(page, sizeof(long));
    errno = saved;
    return -1;
  }
  pid_t pid = fork();
  if (pid == 0) {
    for (int i = 0; i < nloops; i++) {
      if (wait_sem(&t->child_go) == -1 || t->failed != 0) _exit(1);
      if (play(counter, "child", trace_fd) == -1) {
        t->failed = errno;
        sem_post(&t->parent_go);
        _exit(1);
      }
      sem_post(&t->parent_go);
    }
    _exit(0);
  }
  int err = pid == -1 ? errno : 0;
  for (int i = 0; i < nloops && err == 0; i++) {
    if (wait_sem(&t->parent_go) == -1) err = errno;
    else if (t->failed != 0) err = t->failed;
    else if (play(counter, "parent", trace_fd) == -1) err = errno;
    if (err != 0 && t->failed == 0) t->failed = err;
    sem_post(&t->child_go);  // also wakes the child to see a failure
  }
  if (pid > 0)
    while (waitpid(pid, nullptr, 0) == -1 && errno == EINTR) {
    }
  if (err == 0 && t->failed != 0) err = t->failed;
  long result = *counter;
  sem_destroy(&t->parent_go);
  sem_destroy(&t->child_go);
  munmap(page, sizeof(long));
  if (err != 0) {
    errno = err;
    return -1;
  }
  return result;
}

struct msg_slot {
  sem_t empty;  // 1 while the slot can take a message
  sem_t full;   // 1 while a message waits
  size_t len;
  unsigned char data[SLOT_MAX];
};

struct msg_slot* slot_create(void) {
  msg_slot* s = static_cast<msg_slot*>(region_map(sizeof(msg_slot), REGION_DEV_ZERO));
  if (s == nullptr) return nullptr;
  if (sem_init(&s->empty, 1, 1) == -1) {
    int saved = errno;
    munmap(s, sizeof(msg_slot));
    errno = saved;
    return nullptr;
  }
  if (sem_init(&s->full, 1, 0) == -1) {
    int saved = errno;
    sem_destroy(&s->empty);
    munmap(s, sizeof(msg_slot));
    errno = saved;
    return nullptr;
  }
  return s;
}

namespace {

int acquire(sem_t* s, int flags) {
  if (flags & SLOT_NOWAIT) {
    while (sem_trywait(s) == -1)
      if (errno != EINTR) return -1;  // EAGAIN: nothing to take
    return 0;
  }
  return wait_sem(s);
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
  if (acquire(&slot->empty, flags) == -1) return -1;
  if (len > 0) memcpy(slot->data, msg, len);
  slot->len = len;
  return sem_post(&slot->full);
}

ssize_t slot_take(struct msg_slot* slot, void* buf, size_t cap, int flags) {
  if (slot == nullptr || buf == nullptr || (flags & ~SLOT_NOWAIT) != 0) {
    errno = EINVAL;
    return -1;
  }
  if (acquire(&slot->full, flags) == -1) return -1;
  size_t len = slot->len;
  if (len > cap) {
    sem_post(&slot->full);  // the message stays for a bigger buffer
    errno = EMSGSIZE;
    return -1;
  }
  memcpy(buf, slot->data, len);
  sem_post(&slot->empty);
  return static_cast<ssize_t>(len);
}

int slot_destroy(struct msg_slot* slot) {
  if (slot == nullptr) {
    errno = EINVAL;
    return -1;
  }
  sem_destroy(&slot->empty);
  sem_destroy(&slot->full);
  return munmap(slot, sizeof(msg_slot));
}
