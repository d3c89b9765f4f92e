// Peer style: APUE 15.10 for the lock (a "/<pid>.<n>" name, O_CREAT|O_EXCL,
// unlinked at once) and a C ring buffer for the bounded buffer: the region
// is /dev/zero mapped MAP_SHARED (APUE 15.9's way to share memory with
// children, no name anywhere), the ring follows a fixed header, and the two
// positions are free-running counters taken modulo the capacity when used.
// s_timedlock builds its deadline in nanoseconds on 64 bits, then splits it.
// Valid under posix-sem.hpp: a named semaphore with no name left, three
// pshared unnamed semaphores in shared memory, EINTR retried everywhere.
#include "posix-sem.hpp"

#include <errno.h>
#include <fcntl.h>
#include <semaphore.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct slock {
  sem_t* semp;
  char name[64];
};

static int retry_wait(sem_t* s) {
  int rc;
  do rc = sem_wait(s);
  while (rc == -1 && errno == EINTR);
  return rc;
}

struct slock* s_alloc(void) {
  static unsigned long next = 0;
  struct slock* sp = (struct slock*)malloc(sizeof(struct slock));
  if (sp == NULL) return NULL;
  for (;;) {
    snprintf(sp->name, sizeof sp->name, "/%ld.%lu", (long)getpid(), next++);
    sp->semp = sem_open(sp->name, O_CREAT | O_EXCL, S_IRWXU, 1);
    if (sp->semp != SEM_FAILED) break;
    if (errno != EEXIST) {
      int saved = errno;
      free(sp);
      errno = saved;
      return NULL;
    }
  }
  sem_unlink(sp->name);
  return sp;
}

int s_free(struct slock* sp) {
  if (sp == NULL) {
    errno = EINVAL;
    return -1;
  }
  int rc = sem_close(sp->semp);
  int saved = errno;
  free(sp);
  errno = saved;
  return rc;
}

int s_lock(struct slock* sp) {
  if (sp == NULL) {
    errno = EINVAL;
    return -1;
  }
  return retry_wait(sp->semp);
}

int s_trylock(struct slock* sp) {
  if (sp == NULL) {
    errno = EINVAL;
    return -1;
  }
  int rc;
  do rc = sem_trywait(sp->semp);
  while (rc == -1 && errno == EINTR);
  return rc;
}

int s_timedlock(struct slock* sp, long timeout_ms) {
  if (sp == NULL || timeout_ms < 0) {
    errno = EINVAL;
    return -1;
  }
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  int64_t ns = (int64_t)now.tv_sec * 1000000000 + now.tv_nsec + (int64_t)timeout_ms * 1000000;
  struct timespec deadline;
  deadline.tv_sec = (time_t)(ns / 1000000000);
  deadline.tv_nsec = (long)(ns % 1000000000);
  int rc;
  do rc = sem_timedwait(sp->semp, &deadline);
  while (rc == -1 && errno == EINTR);
  return rc;
}

int s_unlock(struct slock* sp) {
  if (sp == NULL) {
    errno = EINVAL;
    return -1;
  }
  return sem_post(sp->semp);
}

struct bbuf {
  sem_t slots;  // free places
  sem_t items;  // items held
  sem_t mutex;  // guards put_at and get_at
  size_t mapped;
  unsigned cap;
  unsigned long put_at, get_at;  // free-running; index = counter % cap
  long ring[];
};

struct bbuf* bbuf_create(unsigned capacity) {
  if (capacity == 0 || capacity > BBUF_MAX) {
    errno = EINVAL;
    return NULL;
  }
  size_t size = sizeof(struct bbuf) + (size_t)capacity * sizeof(long);
  int fd = open("/dev/zero", O_RDWR);
  if (fd == -1) return NULL;
  void* area = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  int saved = errno;
  close(fd);
  if (area == MAP_FAILED) {
    errno = saved;
    return NULL;
  }
  struct bbuf* b = (struct bbuf*)area;
  b->mapped = size;
  b->cap = capacity;
  if (sem_init(&b->slots, 1, capacity) == -1 || sem_init(&b->items, 1, 0) == -1 ||
      sem_init(&b->mutex, 1, 1) == -1) {
    saved = errno;
    munmap(area, size);
    errno = saved;
    return NULL;
  }
  return b;
}

int bbuf_put(struct bbuf* b, long item) {
  if (b == NULL) {
    errno = EINVAL;
    return -1;
  }
  if (retry_wait(&b->slots) == -1 || retry_wait(&b->mutex) == -1) return -1;
  b->ring[b->put_at++ % b->cap] = item;
  sem_post(&b->mutex);
  return sem_post(&b->items);
}

int bbuf_get(struct bbuf* b, long* item) {
  if (b == NULL || item == NULL) {
    errno = EINVAL;
    return -1;
  }
  if (retry_wait(&b->items) == -1 || retry_wait(&b->mutex) == -1) return -1;
  *item = b->ring[b->get_at++ % b->cap];
  sem_post(&b->mutex);
  return sem_post(&b->slots);
}

int bbuf_count(struct bbuf* b) {
  if (b == NULL) {
    errno = EINVAL;
    return -1;
  }
  int v;
  if (sem_getvalue(&b->items, &v) == -1) return -1;
  return v;
}

int bbuf_destroy(struct bbuf* b) {
  if (b == NULL) {
    errno = EINVAL;
    return -1;
  }
  sem_destroy(&b->slots);
  sem_destroy(&b->items);
  sem_destroy(&b->mutex);
  return munmap(b, b->mapped);
}
