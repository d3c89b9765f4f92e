// Chapter 08 — posix-sem: the reference solution. The contract is posix-sem.hpp.
#include "posix-sem.hpp"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

struct slock {
  sem_t* sem;
  char name[NAME_MAX];
};

namespace {

// Retries a semaphore wait that a signal interrupted.
template <class Wait>
int restarting(Wait wait) {
  int rc;
  while ((rc = wait()) < 0 && errno == EINTR) {
  }
  return rc;
}

bool invalid(const void* p) {
  if (p != nullptr) return false;
  errno = EINVAL;
  return true;
}

}  // namespace

struct slock* s_alloc(void) {
  static unsigned count = 0;
  auto* sp = static_cast<slock*>(malloc(sizeof(slock)));
  if (sp == nullptr) return nullptr;
  do {
    snprintf(sp->name, sizeof sp->name, "/ipclab-slock.%ld.%u", static_cast<long>(getpid()), count++);
    sp->sem = sem_open(sp->name, O_CREAT | O_EXCL, S_IRUSR | S_IWUSR, 1);
  } while (sp->sem == SEM_FAILED && errno == EEXIST);
  if (sp->sem == SEM_FAILED) {
    int saved = errno;
    free(sp);
    errno = saved;
    return nullptr;
  }
  sem_unlink(sp->name);  // the open semaphore outlives its name
  return sp;
}

int s_free(struct slock* sp) {
  if (invalid(sp)) return -1;
  int rc = sem_close(sp->sem);
  int saved = errno;
  free(sp);
  errno = saved;
  return rc;
}

int s_lock(struct slock* sp) {
  if (invalid(sp)) return -1;
  return restarting([sp] { return sem_wait(sp->sem); });
}

int s_trylock(struct slock* sp) {
  if (invalid(sp)) return -1;
  return restarting([sp] { return sem_trywait(sp->sem); });
}

int s_timedlock(struct slock* sp, long timeout_ms) {
  if (invalid(sp)) return -1;
  if (timeout_ms < 0) {
    errno = EINVAL;
    return -1;
  }
  timespec deadline;
  clock_gettime(CLOCK_REALTIME, &deadline);  // the clock sem_timedwait measures
  deadline.tv_sec += timeout_ms / 1000;
  deadline.tv_nsec += (timeout_ms % 1000) * 1000000L;
  if (deadline.tv_nsec >= 1000000000L) {
    deadline.tv_sec += 1;
    deadline.tv_nsec -= 1000000000L;
  }
  return restarting([&] { return sem_timedwait(sp->sem, &deadline); });
}

int s_unlock(struct slock* sp) {
  if (invalid(sp)) return -1;
  return sem_post(sp->sem);
}

struct bbuf {
  sem_t free_places;  // starts at the capacity
  sem_t items;        // starts at 0
  sem_t guard;        // a binary semaphore over head and tail
  size_t bytes;       // of the whole mapping
  unsigned capacity, head, tail;
  long* ring() { return reinterpret_cast<long*>(this + 1); }  // capacity slots follow
};

struct bbuf* bbuf_create(unsigned capacity) {
  if (capacity == 0 || capacity > BBUF_MAX) {
    errno = EINVAL;
    return nullptr;
  }
  size_t bytes = sizeof(bbuf) + capacity * sizeof(long);
  void* area = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (area == MAP_FAILED) return nullptr;
  auto* b = static_cast<bbuf*>(area);
  b->bytes = bytes;
  b->capacity = capacity;  // head and tail start at 0: the region is zeroed
  // pshared = 1: the semaphores live in shared memory and serve processes.
  if (sem_init(&b->free_places, 1, capacity) < 0 || sem_init(&b->items, 1, 0) < 0 ||
      sem_init(&b->guard, 1, 1) < 0) {
    int saved = errno;  // on Linux sem_init fails only on its arguments
    munmap(area, bytes);
    errno = saved;
    return nullptr;
  }
  return b;
}

int bbuf_put(struct bbuf* b, long item) {
  if (invalid(b)) return -1;
  if (restarting([b] { return sem_wait(&b->free_places); }) < 0) return -1;
  restarting([b] { return sem_wait(&b->guard); });
  b->ring()[b->tail] = item;
  b->tail = (b->tail + 1) % b->capacity;
  sem_post(&b->guard);
  return sem_post(&b->items);
}

int bbuf_get(struct bbuf* b, long* item) {
  if (invalid(b) || invalid(item)) return -1;
  if (restarting([b] { return sem_wait(&b->items); }) < 0) return -1;
  restarting([b] { return sem_wait(&b->guard); });
  *item = b->ring()[b->head];
  b->head = (b->head + 1) % b->capacity;
  sem_post(&b->guard);
  return sem_post(&b->free_places);
}

int bbuf_count(struct bbuf* b) {
  if (invalid(b)) return -1;
  int n = 0;
  return sem_getvalue(&b->items, &n) < 0 ? -1 : n;
}

int bbuf_destroy(struct bbuf* b) {
  if (invalid(b)) return -1;
  sem_destroy(&b->free_places);
  sem_destroy(&b->items);
  sem_destroy(&b->guard);
  return munmap(b, b->bytes);
}
