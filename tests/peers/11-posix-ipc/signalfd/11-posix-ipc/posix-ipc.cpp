// Peer style: a Linux event loop. pq_collect receives its notification
// signal through a signalfd(2) (blocked first, then read() from the
// descriptor, which waits without polling, like sigwaitinfo()); the
// descriptor is closed before it returns. A take that must not wait sets
// O_NONBLOCK on the queue description with mq_setattr() for that receive
// and puts the old flags back at once; timed takes use mq_timedreceive()
// on an absolute CLOCK_REALTIME deadline. Regions are created with
// shm_open(O_EXCL), ftruncate() and mmap(), and opened with fstat() sizing.
// Valid under posix-ipc.hpp: the same priorities, errnos, signal mask and
// registrations afterwards, and nothing left open or named on failure.
// It shows that the test of pq_collect counts a sleep in read() on a
// signalfd for the notification signal as a wait, as it counts
// sigwaitinfo().
#include "posix-ipc.hpp"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int bad_name(const char* name) {
  return name == NULL || name[0] != '/' || strlen(name) < 2 || strchr(name + 1, '/') != NULL;
}

mqd_t pq_create(const char* name, long maxmsg, long msgsize) {
  if (bad_name(name) || maxmsg < 1 || msgsize < 1) {
    errno = EINVAL;
    return (mqd_t)-1;
  }
  struct mq_attr attr = {};
  attr.mq_maxmsg = maxmsg;
  attr.mq_msgsize = msgsize;
  return mq_open(name, O_CREAT | O_EXCL | O_RDWR, S_IRUSR | S_IWUSR, &attr);
}

int pq_send_job(mqd_t q, const char* text, int rank) {
  if (text == NULL || rank < 1 || rank > PQ_RANKS) {
    errno = EINVAL;
    return -1;
  }
  return mq_send(q, text, strlen(text), (unsigned)(PQ_RANKS - rank));
}

ssize_t pq_take(mqd_t q, char* buf, size_t cap, int* rank, long timeout_ms) {
  if (buf == NULL || cap == 0) {
    errno = EINVAL;
    return -1;
  }
  struct mq_attr attr;
  if (mq_getattr(q, &attr) < 0) return -1;
  char* msg = (char*)malloc((size_t)attr.mq_msgsize);
  if (msg == NULL) {
    errno = ENOMEM;
    return -1;
  }
  unsigned prio = 0;
  ssize_t n;
  if (timeout_ms == 0) {
    struct mq_attr nb = attr, old;
    nb.mq_flags |= O_NONBLOCK;
    if (mq_setattr(q, &nb, &old) < 0) {
      n = -1;
    } else {
      n = mq_receive(q, msg, (size_t)attr.mq_msgsize, &prio);
      int saved = errno;
      mq_setattr(q, &old, NULL);
      errno = saved;
    }
  } else if (timeout_ms > 0) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += timeout_ms / 1000;
    ts.tv_nsec += (timeout_ms % 1000) * 1000000L;
    while (ts.tv_nsec >= 1000000000L) {
      ts.tv_nsec -= 1000000000L;
      ts.tv_sec++;
    }
    n = mq_timedreceive(q, msg, (size_t)attr.mq_msgsize, &prio, &ts);
  } else {
    n = mq_receive(q, msg, (size_t)attr.mq_msgsize, &prio);
  }
  if (n >= 0) {
    size_t copy = (size_t)n < cap ? (size_t)n : cap - 1;
    memcpy(buf, msg, copy);
    buf[copy] = '\0';
    if (rank != NULL) *rank = PQ_RANKS - (int)prio;
  }
  int saved = errno;
  free(msg);
  errno = saved;
  return n;
}

static int take_queued(mqd_t q, long* count) {
  char c;
  while (pq_take(q, &c, 1, NULL, 0) >= 0) (*count)++;
  return errno == EAGAIN ? 0 : -1;
}

long pq_collect(mqd_t q, int rounds) {
  if (rounds < 1) {
    errno = EINVAL;
    return -1;
  }
  sigset_t mask, oldmask;
  sigemptyset(&mask);
  sigaddset(&mask, PQ_NOTIFY_SIGNAL);
  if (sigprocmask(SIG_BLOCK, &mask, &oldmask) < 0) return -1;
  int sfd = signalfd(-1, &mask, SFD_CLOEXEC);
  long count = 0;
  int err = sfd < 0 ? errno : 0;
  for (int r = 0; r < rounds && err == 0; r++) {
    struct sigevent sev = {};
    sev.sigev_notify = SIGEV_SIGNAL;
    sev.sigev_signo = PQ_NOTIFY_SIGNAL;
    if (mq_notify(q, &sev) < 0 || take_queued(q, &count) < 0) {
      err = errno;
      break;
    }
    struct signalfd_siginfo si;
    ssize_t n;
    do n = read(sfd, &si, sizeof si);
    while (n < 0 && errno == EINTR);
    if (n != (ssize_t)sizeof si) err = n < 0 ? errno : EIO;
  }
  if (err == 0 && take_queued(q, &count) < 0) err = errno;
  mq_notify(q, NULL);
  if (sfd >= 0) close(sfd);
  sigprocmask(SIG_SETMASK, &oldmask, NULL);
  if (err != 0) {
    errno = err;
    return -1;
  }
  return count;
}

int pq_destroy(mqd_t q, const char* name) {
  int rc = mq_close(q);
  int err = rc < 0 ? errno : 0;
  if (name == NULL) {
    errno = EINVAL;
    return -1;
  }
  if (mq_unlink(name) < 0) return -1;
  if (rc < 0) errno = err;
  return rc;
}

void* shm_region_create(const char* name, size_t size) {
  if (bad_name(name) || size == 0) {
    errno = EINVAL;
    return NULL;
  }
  int fd = shm_open(name, O_CREAT | O_EXCL | O_RDWR, 0600);
  if (fd < 0) return NULL;
  if (ftruncate(fd, (off_t)size) < 0) {
    int saved = errno;
    close(fd);
    shm_unlink(name);
    errno = saved;
    return NULL;
  }
  void* p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  int saved = errno;
  close(fd);
  if (p == MAP_FAILED) {
    shm_unlink(name);
    errno = saved;
    return NULL;
  }
  return p;
}

void* shm_region_open(const char* name, size_t* size) {
  if (name == NULL || size == NULL) {
    errno = EINVAL;
    return NULL;
  }
  int fd = shm_open(name, O_RDWR, 0);
  if (fd < 0) return NULL;
  struct stat sb;
  int bad = fstat(fd, &sb) < 0 ? errno : sb.st_size == 0 ? EINVAL : 0;
  if (bad != 0) {
    close(fd);
    errno = bad;
    return NULL;
  }
  void* p = mmap(NULL, (size_t)sb.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  int saved = errno;
  close(fd);
  if (p == MAP_FAILED) {
    errno = saved;
    return NULL;
  }
  *size = (size_t)sb.st_size;
  return p;
}

int shm_region_remove(const char* name) {
  if (name == NULL) {
    errno = EINVAL;
    return -1;
  }
  return shm_unlink(name);
}
