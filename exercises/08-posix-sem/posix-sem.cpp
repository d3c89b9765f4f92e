// Chapter 08 — POSIX semaphores. Fill in each function; the contract is posix-sem.hpp.
// Check your work with:  ./ipclab check posix-sem
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

// TODO: what a lock needs: the sem_t* sem_open() returned, and the name.
struct slock {
  int todo;
};

struct slock* s_alloc(void) {
  // TODO: malloc a slock; build a name from getpid() and a counter; sem_open
  // it with O_CREAT | O_EXCL and value 1, trying the next name on EEXIST;
  // sem_unlink the name at once. On failure free what you allocated.
  errno = ENOSYS;
  return nullptr;
}

int s_free(struct slock* sp) {
  // TODO: EINVAL for null; sem_close, then free.
  (void)sp;
  errno = ENOSYS;
  return -1;
}

int s_lock(struct slock* sp) {
  // TODO: EINVAL for null; sem_wait, again after EINTR.
  (void)sp;
  errno = ENOSYS;
  return -1;
}

int s_trylock(struct slock* sp) {
  // TODO: EINVAL for null; sem_trywait (it fails with EAGAIN by itself).
  (void)sp;
  errno = ENOSYS;
  return -1;
}

int s_timedlock(struct slock* sp, long timeout_ms) {
  // TODO: EINVAL for null or a negative timeout; deadline = now
  // (clock_gettime(CLOCK_REALTIME)) + timeout_ms, tv_nsec below 1e9;
  // sem_timedwait, again after EINTR.
  (void)sp, (void)timeout_ms;
  errno = ENOSYS;
  return -1;
}

int s_unlock(struct slock* sp) {
  // TODO: EINVAL for null; sem_post.
  (void)sp;
  errno = ENOSYS;
  return -1;
}

// TODO: three sem_t (free places, items, a guard), the capacity, head and
// tail indices and the ring of longs, all inside one shared mapping.
struct bbuf {
  int todo;
};

struct bbuf* bbuf_create(unsigned capacity) {
  // TODO: EINVAL for a bad capacity; mmap MAP_SHARED | MAP_ANONYMOUS room
  // for the header and the ring; sem_init each semaphore with pshared 1
  // (free places = capacity, items = 0, guard = 1); munmap on failure.
  (void)capacity;
  errno = ENOSYS;
  return nullptr;
}

int bbuf_put(struct bbuf* b, long item) {
  // TODO: wait for a free place, then for the guard; store at tail and
  // advance it; post the guard, then post one item.
  (void)b, (void)item;
  errno = ENOSYS;
  return -1;
}

int bbuf_get(struct bbuf* b, long* item) {
  // TODO: wait for an item, then for the guard; take from head and advance
  // it; post the guard, then post one free place.
  (void)b, (void)item;
  errno = ENOSYS;
  return -1;
}

int bbuf_count(struct bbuf* b) {
  // TODO: EINVAL for null; sem_getvalue on the item semaphore.
  (void)b;
  errno = ENOSYS;
  return -1;
}

int bbuf_destroy(struct bbuf* b) {
  // TODO: EINVAL for null; sem_destroy all three; munmap the whole region.
  (void)b;
  errno = ENOSYS;
  return -1;
}
