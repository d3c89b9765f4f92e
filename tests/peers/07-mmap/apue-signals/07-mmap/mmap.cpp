// Peer style: APUE figure 15.33 as printed, with the signal version of
// TELL_WAIT (APUE 10.16): SIGUSR1 tells the child, SIGUSR2 tells the parent,
// both blocked before fork() and awaited with sigsuspend(), so no signal
// can be lost between the test and the wait. The caller's dispositions and
// mask come back before it returns. The slot is the textbook bounded
// buffer of size one: a process-shared mutex with two condition variables,
// "not full" and "not empty", each signalled once per change (a take that
// leaves the message behind passes the wake-up on). Valid under mmap.hpp:
// turns alternate as it says, and a child that fails still hands the turn
// back (it marks the failure in the shared page first).
#include "mmap.hpp"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

void* region_map(size_t len, int kind) {
  if (len == 0 || (kind != REGION_DEV_ZERO && kind != REGION_ANONYMOUS && kind != REGION_PRIVATE)) {
    errno = EINVAL;
    return nullptr;
  }
  void* area;
  if (kind == REGION_DEV_ZERO) {
    int fd = open("/dev/zero", O_RDWR);
    if (fd < 0) return nullptr;
    area = mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    int saved = errno;
    close(fd);
    errno = saved;
  } else {
    int share = kind == REGION_ANONYMOUS ? MAP_SHARED : MAP_PRIVATE;
    area = mmap(nullptr, len, PROT_READ | PROT_WRITE, share | MAP_ANONYMOUS, -1, 0);
  }
  return area == MAP_FAILED ? nullptr : area;
}

namespace {

volatile sig_atomic_t told;  // set by the handler; each process has its own

void on_tell(int) { told = 1; }

// Sleeps until the partner's signal came; `unblocked` is the caller's mask
// without SIGUSR1/SIGUSR2.
void wait_told(const sigset_t* unblocked) {
  while (told == 0) sigsuspend(unblocked);
  told = 0;
}

int add_and_trace(volatile long* counter, const char* who, int fd) {
  long v = *counter + 1;
  *counter = v;
  char line[40];
  int len = snprintf(line, sizeof line, "%s %ld\n", who, v);
  const char* p = line;
  while (len > 0) {
    ssize_t n = write(fd, p, static_cast<size_t>(len));
    if (n < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    p += n;
    len -= static_cast<int>(n);
  }
  return 0;
}

}  // namespace

long count_alternately(int kind, int nloops, int trace_fd) {
  if (nloops < 1 || (kind != REGION_DEV_ZERO && kind != REGION_ANONYMOUS)) {
    errno = EINVAL;
    return -1;
  }
  // The counter; the rest of its page (region_map gives whole pages) holds
  // the child's errno if it gave up.
  volatile long* area = static_cast<volatile long*>(region_map(sizeof(long), kind));
  if (area == nullptr) return -1;
  volatile long* counter = &area[0];
  volatile long* child_err = &area[1];

  struct sigaction act {}, old1 {}, old2 {};
  act.sa_handler = on_tell;
  sigemptyset(&act.sa_mask);
  sigset_t both, old_mask, unblocked;
  sigemptyset(&both);
  sigaddset(&both, SIGUSR1);
  sigaddset(&both, SIGUSR2);
  sigprocmask(SIG_BLOCK, &both, &old_mask);
  sigaction(SIGUSR1, &act, &old1);
  sigaction(SIGUSR2, &act, &old2);
  unblocked = old_mask;
  sigdelset(&unblocked, SIGUSR1);
  sigdelset(&unblocked, SIGUSR2);
  told = 0;

  pid_t pid = fork();
  if (pid == 0) {
    pid_t parent = getppid();
    for (int i = 0; i < nloops; i++) {
      wait_told(&unblocked);
      if (add_and_trace(counter, "child", trace_fd) < 0) {
        *child_err = errno;
        kill(parent, SIGUSR2);
        _exit(1);
      }
      kill(parent, SIGUSR2);
    }
    _exit(0);
  }
  int err = pid < 0 ? errno : 0;
  for (int i = 0; i < nloops && err == 0; i++) {
    if (add_and_trace(counter, "parent", trace_fd) < 0) {
      err = errno;
      kill(pid, SIGKILL);
      break;
    }
    kill(pid, SIGUSR1);
    wait_told(&unblocked);
    if (*child_err != 0) err = static_cast<int>(*child_err);
  }
  if (pid > 0)
    while (waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
    }
  long result = *counter;
  sigaction(SIGUSR1, &old1, nullptr);
  sigaction(SIGUSR2, &old2, nullptr);
  sigprocmask(SIG_SETMASK, &old_mask, nullptr);
  munmap(const_cast<long*>(area), sizeof(long));
  if (err != 0) {
    errno = err;
    return -1;
  }
  return result;
}

struct msg_slot {
  pthread_mutex_t mu;
  pthread_cond_t not_full;
  pthread_cond_t not_empty;
  int full;
  size_t len;
  char bytes[SLOT_MAX];
};

struct msg_slot* slot_create(void) {
  msg_slot* s = static_cast<msg_slot*>(region_map(sizeof(msg_slot), REGION_ANONYMOUS));
  if (s == nullptr) return nullptr;
  pthread_mutexattr_t ma;
  pthread_condattr_t ca;
  int rc = pthread_mutexattr_init(&ma);
  if (rc == 0) {
    pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
    rc = pthread_mutex_init(&s->mu, &ma);
    pthread_mutexattr_destroy(&ma);
  }
  bool mutex_made = rc == 0, not_full_made = false;
  if (rc == 0 && (rc = pthread_condattr_init(&ca)) == 0) {
    pthread_condattr_setpshared(&ca, PTHREAD_PROCESS_SHARED);
    rc = pthread_cond_init(&s->not_full, &ca);
    not_full_made = rc == 0;
    if (rc == 0) rc = pthread_cond_init(&s->not_empty, &ca);
    pthread_condattr_destroy(&ca);
  }
  if (rc != 0) {
    if (not_full_made) pthread_cond_destroy(&s->not_full);
    if (mutex_made) pthread_mutex_destroy(&s->mu);
    munmap(s, sizeof(msg_slot));
    errno = rc;
    return nullptr;
  }
  return s;
}

int slot_put(struct msg_slot* slot, const void* msg, size_t len, int flags) {
  if (slot == nullptr || (msg == nullptr && len > 0) || (flags & ~SLOT_NOWAIT) != 0) {
    errno = EINVAL;
    return -1;
  }
  if (len > SLOT_MAX) {
    errno = EMSGSIZE;
    return -1;
  }
  pthread_mutex_lock(&slot->mu);
  while (slot->full) {
    if (flags & SLOT_NOWAIT) {
      pthread_mutex_unlock(&slot->mu);
      errno = EAGAIN;
      return -1;
    }
    pthread_cond_wait(&slot->not_full, &slot->mu);
  }
  if (len > 0) memcpy(slot->bytes, msg, len);
  slot->len = len;
  slot->full = 1;
  pthread_cond_signal(&slot->not_empty);
  pthread_mutex_unlock(&slot->mu);
  return 0;
}

ssize_t slot_take(struct msg_slot* slot, void* buf, size_t cap, int flags) {
  if (slot == nullptr || buf == nullptr || (flags & ~SLOT_NOWAIT) != 0) {
    errno = EINVAL;
    return -1;
  }
  pthread_mutex_lock(&slot->mu);
  while (!slot->full) {
    if (flags & SLOT_NOWAIT) {
      pthread_mutex_unlock(&slot->mu);
      errno = EAGAIN;
      return -1;
    }
    pthread_cond_wait(&slot->not_empty, &slot->mu);
  }
  size_t len = slot->len;
  if (len > cap) {
    pthread_cond_signal(&slot->not_empty);  // another taker may have room for it
    pthread_mutex_unlock(&slot->mu);
    errno = EMSGSIZE;
    return -1;
  }
  memcpy(buf, slot->bytes, len);
  slot->full = 0;
  pthread_cond_signal(&slot->not_full);
  pthread_mutex_unlock(&slot->mu);
  return static_cast<ssize_t>(len);
}

int slot_destroy(struct msg_slot* slot) {
  if (slot == nullptr) {
    errno = EINVAL;
    return -1;
  }
  pthread_cond_destroy(&slot->not_empty);
  pthread_cond_destroy(&slot->not_full);
  pthread_mutex_destroy(&slot->mu);
  return munmap(slot, sizeof(msg_slot));
}
