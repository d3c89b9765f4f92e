// Chapter 05 — XSI semaphores: the reference solution. The contract is xsi-sem.hpp.
#include "xsi-sem.hpp"

#include <errno.h>
#include <limits.h>
#include <sys/sem.h>
#include <time.h>

#include <vector>

namespace {

constexpr int kSemValueMax = 32767;   // SEMVMX
constexpr int kInitWaitTries = 1000;  // about one second, one millisecond apart

// The creator: give every semaphore its value in one semop(), which is also
// what makes sem_otime non-zero, the signal the openers wait for.
int initialise(int semid, int nsems, int initial) {
  std::vector<sembuf> ops(static_cast<std::size_t>(nsems));
  for (int i = 0; i < nsems; ++i)
    ops[static_cast<std::size_t>(i)] = {static_cast<unsigned short>(i), static_cast<short>(initial), 0};
  return semop(semid, ops.data(), ops.size());
}

// An opener: wait until the creator's semop() has happened.
int wait_initialised(int semid) {
  const timespec pause{0, 1000 * 1000};
  for (int i = 0; i < kInitWaitTries; ++i) {
    semid_ds ds{};
    if (semctl(semid, 0, IPC_STAT, &ds) < 0) {
      if (errno == EINVAL) errno = EIDRM;  // the id died with its set: removed meanwhile
      return -1;
    }
    if (ds.sem_otime != 0) return 0;
    nanosleep(&pause, nullptr);
  }
  errno = ETIMEDOUT;
  return -1;
}

int change(int semid, int semnum, short delta, short flags) {
  if (semnum < 0 || semnum > USHRT_MAX) {  // sem_num is an unsigned short: never wrap
    errno = EFBIG;
    return -1;
  }
  sembuf op{static_cast<unsigned short>(semnum), delta, static_cast<short>(SEM_UNDO | flags)};
  int rc;
  while ((rc = semop(semid, &op, 1)) < 0 && errno == EINTR) {
  }
  return rc;
}

}  // namespace

int xsem_open(key_t key, int nsems, int initial, int perms) {
  if (nsems < 1 || initial < 0 || initial > kSemValueMax) {
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
  // Someone else created it: open, then wait for its initialisation.
  semid = semget(key, nsems, perms & 0777);
  if (semid < 0 || wait_initialised(semid) < 0) return -1;
  return semid;
}

int xsem_lock(int semid, int semnum) { return change(semid, semnum, -1, 0); }

int xsem_trylock(int semid, int semnum) { return change(semid, semnum, -1, IPC_NOWAIT); }

int xsem_unlock(int semid, int semnum) { return change(semid, semnum, 1, 0); }

int xsem_remove(int semid) { return semctl(semid, 0, IPC_RMID); }
