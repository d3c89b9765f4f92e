// Peer style: never touch the queue's O_NONBLOCK. A take that must not wait
// is an mq_timedreceive() whose deadline (the epoch) has already passed:
// on an empty queue it fails at once with ETIMEDOUT, reported as EAGAIN.
// pq_collect waits with sigwait() under pthread_sigmask() and drains with
// such zero-deadline takes. shm_region_open sizes the object with
// lseek(SEEK_END) rather than fstat(). Valid under posix-ipc.hpp: the
// queue's flags are never changed (so nothing is to undo), ranks map to
// priorities PQ_RANKS - rank, deadlines are absolute CLOCK_REALTIME, and
// descriptors, names and registrations are left as it says.
#include "posix-ipc.hpp"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

namespace {

bool name_ok(const char* name) {
  if (name == nullptr || name[0] != '/' || name[1] == '\0') return false;
  for (const char* p = name + 1; *p != '\0'; ++p)
    if (*p == '/') return false;
  return true;
}

// Receives into a buffer of mq_msgsize bytes, copies at most cap - 1 bytes.
// deadline == nullptr: wait as long as it takes.
ssize_t receive(mqd_t q, char* out, size_t cap, unsigned* prio, const struct timespec* deadline) {
  struct mq_attr a;
  if (mq_getattr(q, &a) == -1) return -1;
  char* whole = static_cast<char*>(malloc(static_cast<size_t>(a.mq_msgsize)));
  if (whole == nullptr) {
    errno = ENOMEM;
    return -1;
  }
  ssize_t n = deadline == nullptr
                  ? mq_receive(q, whole, static_cast<size_t>(a.mq_msgsize), prio)
                  : mq_timedreceive(q, whole, static_cast<size_t>(a.mq_msgsize), prio, deadline);
  if (n >= 0) {
    size_t k = static_cast<size_t>(n) < cap ? static_cast<size_t>(n) : cap - 1;
    memcpy(out, whole, k);
    out[k] = '\0';
  }
  int saved = errno;
  free(whole);
  errno = saved;
  return n;
}

}  // namespace

mqd_t pq_create(const char* name, long maxmsg, long msgsize) {
  if (!name_ok(name) || maxmsg < 1 || msgsize < 1) {
    errno = EINVAL;
    return (mqd_t)-1;
  }
  struct mq_attr a;
  memset(&a, 0, sizeof a);
  a.mq_maxmsg = maxmsg;
  a.mq_msgsize = msgsize;
  return mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &a);
}

int pq_send_job(mqd_t q, const char* text, int rank) {
  if (text == nullptr || rank < 1 || rank > PQ_RANKS) {
    errno = EINVAL;
    return -1;
  }
  return mq_send(q, text, strlen(text), static_cast<unsigned>(PQ_RANKS - rank));
}

ssize_t pq_take(mqd_t q, char* buf, size_t cap, int* rank, long timeout_ms) {
  if (buf == nullptr || cap == 0) {
    errno = EINVAL;
    return -1;
  }
  unsigned prio = 0;
  ssize_t n;
  if (timeout_ms < 0) {
    n = receive(q, buf, cap, &prio, nullptr);
  } else if (timeout_ms == 0) {
    const struct timespec past = {0, 0};  // already over: never waits
    n = receive(q, buf, cap, &prio, &past);
    if (n == -1 && errno == ETIMEDOUT) errno = EAGAIN;
  } else {
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    int64_t ns = static_cast<int64_t>(now.tv_sec) * 1000000000 + now.tv_nsec +
                 static_cast<int64_t>(timeout_ms) * 1000000;
    struct timespec deadline = {static_cast<time_t>(ns / 1000000000), static_cast<long>(ns % 1000000000)};
    n = receive(q, buf, cap, &prio, &deadline);
  }
  if (n >= 0 && rank != nullptr) *rank = PQ_RANKS - static_cast<int>(prio);
  return n;
}

namespace {

// Takes everything queued now; -1 on an error other than "empty".
int drain(mqd_t q, long* taken) {
  char one[1];
  for (;;) {
    if (pq_take(q, one, sizeof one, nullptr, 0) >= 0) {
      ++*taken;
      continue;
    }
    return errno == EAGAIN ? 0 : -1;
  }
}

}  // namespace

long pq_collect(mqd_t q, int rounds) {
  if (rounds < 1) {
    errno = EINVAL;
    return -1;
  }
  sigset_t set, saved_mask;
  sigemptyset(&set);
  sigaddset(&set, PQ_NOTIFY_SIGNAL);
  int e = pthread_sigmask(SIG_BLOCK, &set, &saved_mask);
  if (e != 0) {
    errno = e;
    return -1;
  }
  long taken = 0;
  int failed = 0;
  for (int i = 0; i < rounds && failed == 0; ++i) {
    struct sigevent sev;
    memset(&sev, 0, sizeof sev);
    sev.sigev_notify = SIGEV_SIGNAL;
    sev.sigev_signo = PQ_NOTIFY_SIGNAL;
    if (mq_notify(q, &sev) == -1 || drain(q, &taken) == -1) {
      failed = errno;
      break;
    }
    int sig;
    e = sigwait(&set, &sig);
    if (e != 0) failed = e;
  }
  if (failed == 0 && drain(q, &taken) == -1) failed = errno;
  mq_notify(q, nullptr);
  pthread_sigmask(SIG_SETMASK, &saved_mask, nullptr);
  if (failed != 0) {
    errno = failed;
    return -1;
  }
  return taken;
}

int pq_destroy(mqd_t q, const char* name) {
  int unlinked = 0;
  int unlink_err = 0;
  if (name == nullptr) {
    unlink_err = EINVAL;
  } else if (mq_unlink(name) == -1) {
    unlink_err = errno;
    unlinked = -1;
  }
  int closed = mq_close(q);
  int close_err = errno;
  if (unlink_err != 0 || unlinked == -1) {
    errno = unlink_err;
    return -1;
  }
  if (closed == -1) {
    errno = close_err;
    return -1;
  }
  return 0;
}

void* shm_region_create(const char* name, size_t size) {
  if (!name_ok(name) || size == 0) {
    errno = EINVAL;
    return nullptr;
  }
  int fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
  if (fd == -1) return nullptr;
  void* p = MAP_FAILED;
  if (ftruncate(fd, static_cast<off_t>(size)) == 0)
    p = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  int saved = errno;
  close(fd);
  if (p == MAP_FAILED) {
    shm_unlink(name);
    errno = saved;
    return nullptr;
  }
  return p;
}

void* shm_region_open(const char* name, size_t* size) {
  if (name == nullptr || size == nullptr) {
    errno = EINVAL;
    return nullptr;
  }
  int fd = shm_open(name, O_RDWR, 0);
  if (fd == -1) return nullptr;
  off_t end = lseek(fd, 0, SEEK_END);
  void* p = MAP_FAILED;
  int err = 0;
  if (end == -1) err = errno;
  else if (end == 0) err = EINVAL;
  else if ((p = mmap(nullptr, static_cast<size_t>(end), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)) == MAP_FAILED)
    err = errno;
  close(fd);
  if (err != 0) {
    errno = err;
    return nullptr;
  }
  *size = static_cast<size_t>(end);
  return p;
}

int shm_region_remove(const char* name) {
  if (name == nullptr) {
    errno = EINVAL;
    return -1;
  }
  return shm_unlink(name);
}
