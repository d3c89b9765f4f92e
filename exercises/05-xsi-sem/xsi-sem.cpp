// Chapter 05 — XSI semaphores. Fill in each function; the contract is xsi-sem.hpp.
// Check your work with:  ./ipclab check xsi-sem
#include "xsi-sem.hpp"

#include <errno.h>
#include <sys/sem.h>
#include <time.h>

int xsem_open(key_t key, int nsems, int initial, int perms) {
  // TODO: check the arguments (EINVAL). Try semget with IPC_CREAT | IPC_EXCL:
  // if that succeeds you are the creator, so set every semaphore to initial
  // with one semop() (that is what makes sem_otime non-zero). On EEXIST,
  // open the set with semget(key, nsems, perms) and poll IPC_STAT about once
  // a millisecond until sem_otime != 0; give up with ETIMEDOUT after ~1 s.
  (void)key, (void)nsems, (void)initial, (void)perms;
  errno = ENOSYS;
  return -1;
}

int xsem_lock(int semid, int semnum) {
  // TODO: one semop() of -1 on semnum with SEM_UNDO; retry on EINTR.
  (void)semid, (void)semnum;
  errno = ENOSYS;
  return -1;
}

int xsem_trylock(int semid, int semnum) {
  // TODO: as xsem_lock, with IPC_NOWAIT added (EAGAIN when it is held).
  (void)semid, (void)semnum;
  errno = ENOSYS;
  return -1;
}

int xsem_unlock(int semid, int semnum) {
  // TODO: one semop() of +1 on semnum, with SEM_UNDO to cancel the lock's undo.
  (void)semid, (void)semnum;
  errno = ENOSYS;
  return -1;
}

int xsem_remove(int semid) {
  // TODO: semctl IPC_RMID.
  (void)semid;
  errno = ENOSYS;
  return -1;
}
