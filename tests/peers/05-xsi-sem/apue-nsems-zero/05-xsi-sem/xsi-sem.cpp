// Peer style: APUE 15.6-15.8's advice for referencing an existing set: an
// opener calls semget(key, 0, flags) ("any size") and learns the set's size
// from the same IPC_STAT that tells it whether the set is initialised
// (sem_nsems, sem_otime); a set smaller than asked is EINVAL. The opener
// sleeps with poll(NULL, 0, 1) between looks (APUE's sleep_us idiom, 14.5)
// and gives up after a thousand of them. The creator's single semop()
// carries one operation per semaphore. Valid under xsi-sem.hpp: the
// creator alone sets the values, in one semop(); the errnos are those
// listed there.
#include "xsi-sem.hpp"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/ipc.h>
#include <sys/sem.h>

namespace {

int initialise(int semid, int nsems, int value) {
  struct sembuf* ops = static_cast<struct sembuf*>(malloc(sizeof(struct sembuf) * static_cast<size_t>(nsems)));
  if (ops == nullptr) {
    errno = ENOMEM;
    return -1;
  }
  for (int i = 0; i < nsems; ++i) ops[i] = {static_cast<unsigned short>(i), static_cast<short>(value), 0};
  int rc = semop(semid, ops, static_cast<size_t>(nsems));
  int saved = errno;
  free(ops);
  errno = saved;
  return rc;
}

// Waits until the creator's semop() happened; checks the set's size.
int await_ready(int semid, int nsems) {
  for (int tries = 0; tries < 1000; ++tries) {
    struct semid_ds ds;
    if (semctl(semid, 0, IPC_STAT, &ds) == -1) {
      if (errno == EINVAL) errno = EIDRM;  // its identifier died: removed
      return -1;
    }
    if (ds.sem_nsems < static_cast<unsigned long>(nsems)) {
      errno = EINVAL;
      return -1;
    }
    if (ds.sem_otime != 0) return 0;
    poll(nullptr, 0, 1);
  }
  errno = ETIMEDOUT;
  return -1;
}

int op(int semid, int semnum, short delta, short extra) {
  if (semnum < 0 || semnum > 0xFFFF) {
    errno = EFBIG;
    return -1;
  }
  struct sembuf one = {static_cast<unsigned short>(semnum), delta, static_cast<short>(SEM_UNDO | extra)};
  int rc;
  while ((rc = semop(semid, &one, 1)) == -1 && errno == EINTR) {
  }
  return rc;
}

}  // namespace

int xsem_open(key_t key, int nsems, int initial, int perms) {
  if (nsems < 1 || initial < 0 || initial > 32767) {
    errno = EINVAL;
    return -1;
  }
  int semid = semget(key, nsems, IPC_CREAT | IPC_EXCL | (perms & 0777));
  if (semid >= 0) {
    if (initialise(semid, nsems, initial) == 0) return semid;
    int saved = errno;
    semctl(semid, 0, IPC_RMID);
    errno = saved;
    return -1;
  }
  if (errno != EEXIST) return -1;
  semid = semget(key, 0, perms & 0777);
  if (semid == -1) return -1;
  return await_ready(semid, nsems) == 0 ? semid : -1;
}

int xsem_lock(int semid, int semnum) { return op(semid, semnum, -1, 0); }
int xsem_trylock(int semid, int semnum) { return op(semid, semnum, -1, IPC_NOWAIT); }
int xsem_unlock(int semid, int semnum) { return op(semid, semnum, +1, 0); }
int xsem_remove(int semid) { return semctl(semid, 0, IPC_RMID); }
