// Peer style: TLPI 47.5 ("semaphore initialisation"), in C. The caller
// declares its own union semun for semctl(), the creator's initialising
// semop() is built in a malloc()ed array, and an opener waits on a
// CLOCK_MONOTONIC deadline of one second (sleeping a millisecond between
// IPC_STAT polls) rather than counting tries. If the set vanishes between
// semget(IPC_CREAT|IPC_EXCL) saying EEXIST and the plain semget(), it tries
// to create it again. Lock, trylock and unlock share one semop() helper.
// Valid under xsi-sem.hpp: one semop() sets the values and sem_otime, the
// openers never touch the values, SEM_UNDO on every lock operation, and
// the errnos named there.
#include "xsi-sem.hpp"

#include <errno.h>
#include <stdlib.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <time.h>

union semun {
  int val;
  struct semid_ds* buf;
  unsigned short* array;
};

static int init_values(int semid, int nsems, int initial) {
  struct sembuf* sops = (struct sembuf*)calloc((size_t)nsems, sizeof(struct sembuf));
  if (sops == NULL) return -1;
  for (int i = 0; i < nsems; i++) {
    sops[i].sem_num = (unsigned short)i;
    sops[i].sem_op = (short)initial;  // 0: wait-for-zero, which succeeds at once
    sops[i].sem_flg = 0;
  }
  int rc = semop(semid, sops, (size_t)nsems);
  int saved = errno;
  free(sops);
  errno = saved;
  return rc;
}

static long long now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int await_init(int semid) {
  const long long deadline = now_ns() + 1000000000LL;
  const struct timespec ms = {0, 1000000};
  for (;;) {
    struct semid_ds ds;
    union semun arg;
    arg.buf = &ds;
    if (semctl(semid, 0, IPC_STAT, arg) == -1) {
      if (errno == EINVAL || errno == EIDRM) errno = EIDRM;
      return -1;
    }
    if (ds.sem_otime != 0) return 0;
    if (now_ns() >= deadline) {
      errno = ETIMEDOUT;
      return -1;
    }
    nanosleep(&ms, NULL);
  }
}

int xsem_open(key_t key, int nsems, int initial, int perms) {
  if (nsems < 1 || initial < 0 || initial > 32767) {
    errno = EINVAL;
    return -1;
  }
  for (;;) {
    int semid = semget(key, nsems, IPC_CREAT | IPC_EXCL | (perms & 0777));
    if (semid != -1) {
      if (init_values(semid, nsems, initial) == -1) {
        int saved = errno;
        semctl(semid, 0, IPC_RMID);
        errno = saved;
        return -1;
      }
      return semid;
    }
    if (errno != EEXIST) return -1;
    semid = semget(key, nsems, perms & 0777);
    if (semid == -1) {
      if (errno == ENOENT) continue;  // removed after our EEXIST: race to create it
      return -1;
    }
    return await_init(semid) == -1 ? -1 : semid;
  }
}

static int sem_change(int semid, int semnum, short op, short flg) {
  if (semnum < 0 || semnum > 65535) {
    errno = EFBIG;
    return -1;
  }
  struct sembuf sop;
  sop.sem_num = (unsigned short)semnum;
  sop.sem_op = op;
  sop.sem_flg = (short)(flg | SEM_UNDO);
  while (semop(semid, &sop, 1) == -1)
    if (errno != EINTR) return -1;
  return 0;
}

int xsem_lock(int semid, int semnum) { return sem_change(semid, semnum, -1, 0); }
int xsem_trylock(int semid, int semnum) { return sem_change(semid, semnum, -1, IPC_NOWAIT); }
int xsem_unlock(int semid, int semnum) { return sem_change(semid, semnum, 1, 0); }

int xsem_remove(int semid) { return semctl(semid, 0, IPC_RMID); }
