// Chapter 07 — mmap. Fill in each function; the contract is mmap.hpp.
// Check your work with:  ./ipclab check mmap
#include "mmap.hpp"

#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

void* region_map(size_t len, int kind) {
  // TODO: check len and kind (EINVAL). For REGION_DEV_ZERO open /dev/zero
  // read-write and mmap it MAP_SHARED, then close the descriptor; for
  // REGION_ANONYMOUS use MAP_SHARED | MAP_ANONYMOUS with fd -1; for
  // REGION_PRIVATE, MAP_PRIVATE | MAP_ANONYMOUS. mmap() fails with
  // MAP_FAILED, not null: return nullptr then.
  (void)len, (void)kind;
  errno = ENOSYS;
  return nullptr;
}

long count_alternately(int kind, int nloops, int trace_fd) {
  // TODO: check the arguments (EINVAL); map a shared long; set up a way to
  // hand the turn over (two pipes); fork. Parent: add 1, write
  // "parent N\n", hand over, wait for the turn back. Child: wait, add 1,
  // write "child N\n", hand over; _exit when done. Then close everything,
  // wait for the child, read the counter, munmap, return it.
  (void)kind, (void)nloops, (void)trace_fd;
  errno = ENOSYS;
  return -1;
}

// TODO: define the slot: the message bytes, its length, whether it is
// full, and what makes the processes wait their turn (a process-shared
// pthread mutex and condition variable, or unnamed semaphores).
struct msg_slot {
  int todo;
};

struct msg_slot* slot_create(void) {
  // TODO: map a shared region big enough for a msg_slot; initialise the
  // synchronisation so that other processes may use it; undo on failure.
  errno = ENOSYS;
  return nullptr;
}

int slot_put(struct msg_slot* slot, const void* msg, size_t len, int flags) {
  // TODO: check the arguments (EINVAL, EMSGSIZE); wait while the slot is
  // full (or fail with EAGAIN under SLOT_NOWAIT); copy the message in, mark
  // it full, wake whoever waits to take.
  (void)slot, (void)msg, (void)len, (void)flags;
  errno = ENOSYS;
  return -1;
}

ssize_t slot_take(struct msg_slot* slot, void* buf, size_t cap, int flags) {
  // TODO: check the arguments (EINVAL); wait while the slot is empty (or
  // EAGAIN under SLOT_NOWAIT); a message longer than cap stays put
  // (EMSGSIZE); otherwise copy it out, mark the slot empty, wake whoever
  // waits to put, return the length.
  (void)slot, (void)buf, (void)cap, (void)flags;
  errno = ENOSYS;
  return -1;
}

int slot_destroy(struct msg_slot* slot) {
  // TODO: EINVAL for null; destroy the synchronisation objects; munmap.
  (void)slot;
  errno = ENOSYS;
  return -1;
}
