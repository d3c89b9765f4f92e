// Peer style: APUE 15.9 as many students write it. The segment is attached
// by each process after fork(): the writer attaches it read-write, the
// caller SHM_RDONLY, so at most two attachments ever exist. The semaphores
// get their starting values from a semop() ("empty" +1) on the fresh set,
// whose values Linux creates as 0, instead of semctl(SETALL). The block
// header keeps the byte count and the errno in two fields. If the writer
// cannot attach, it removes the semaphore set so the caller's wait ends
// (EIDRM) instead of hanging. Valid under xsi-shm.hpp: IPC_PRIVATE objects,
// lock-step blocks, a reaped writer and nothing left behind.
#include "xsi-shm.hpp"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

struct header {
  ssize_t len;  // bytes of data that follow; 0 at end-of-file
  int err;      // the writer's read() errno, or 0
};

constexpr unsigned short EMPTY = 0, FULL = 1;

int sem_step(int semid, unsigned short num, short op) {
  struct sembuf sb = {num, op, 0};
  for (;;) {
    if (semop(semid, &sb, 1) == 0) return 0;
    if (errno != EINTR) return -1;
  }
}

bool readable(int fd) {
  int fl = fcntl(fd, F_GETFL);
  return fl != -1 && ((fl & O_ACCMODE) == O_RDONLY || (fl & O_ACCMODE) == O_RDWR);
}

bool writable(int fd) {
  int fl = fcntl(fd, F_GETFL);
  return fl != -1 && ((fl & O_ACCMODE) == O_WRONLY || (fl & O_ACCMODE) == O_RDWR);
}

[[noreturn]] void writer(int shmid, int semid, int in_fd, size_t seg_size) {
  void* at = shmat(shmid, nullptr, 0);
  if (at == reinterpret_cast<void*>(-1)) {
    semctl(semid, 0, IPC_RMID);  // wakes the reader with EIDRM
    _exit(1);
  }
  header* h = static_cast<header*>(at);
  char* data = reinterpret_cast<char*>(h + 1);
  for (;;) {
    if (sem_step(semid, EMPTY, -1) == -1) _exit(1);
    ssize_t n;
    do n = read(in_fd, data, seg_size);
    while (n == -1 && errno == EINTR);
    h->len = n < 0 ? 0 : n;
    h->err = n < 0 ? errno : 0;
    if (sem_step(semid, FULL, 1) == -1) _exit(1);
    if (n <= 0) break;
  }
  shmdt(at);
  _exit(0);
}

int put_all(int fd, const char* p, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w == -1) {
      if (errno == EINTR) continue;
      return -1;
    }
    p += w;
    n -= static_cast<size_t>(w);
  }
  return 0;
}

}  // namespace

void* xshm_attach(int shmid, int readonly) {
  void* p = shmat(shmid, nullptr, readonly != 0 ? SHM_RDONLY : 0);
  if (p == reinterpret_cast<void*>(-1)) return nullptr;
  return p;
}

int xshm_detach(const void* addr) { return shmdt(addr); }

long xshm_copy(int in_fd, int out_fd, size_t seg_size) {
  if (seg_size == 0) {
    errno = EINVAL;
    return -1;
  }
  if (!readable(in_fd) || !writable(out_fd)) {
    errno = EBADF;
    return -1;
  }
  int shmid = shmget(IPC_PRIVATE, sizeof(header) + seg_size, 0600);
  if (shmid == -1) return -1;
  int semid = semget(IPC_PRIVATE, 2, 0600);
  int err = semid == -1 ? errno : 0;
  if (err == 0 && sem_step(semid, EMPTY, 1) == -1) err = errno;

  pid_t pid = -1;
  if (err == 0) {
    pid = fork();
    if (pid == 0) writer(shmid, semid, in_fd, seg_size);
    if (pid == -1) err = errno;
  }
  void* at = reinterpret_cast<void*>(-1);
  if (err == 0) {
    at = shmat(shmid, nullptr, SHM_RDONLY);
    if (at == reinterpret_cast<void*>(-1)) err = errno;
  }
  long total = 0;
  if (err == 0) {
    const header* h = static_cast<const header*>(at);
    const char* data = reinterpret_cast<const char*>(h + 1);
    for (;;) {
      if (sem_step(semid, FULL, -1) == -1) {
        err = errno;
        break;
      }
      if (h->err != 0) {
        err = h->err;
        break;
      }
      if (h->len == 0) break;
      if (put_all(out_fd, data, static_cast<size_t>(h->len)) == -1) {
        err = errno;
        break;
      }
      total += h->len;
      if (sem_step(semid, EMPTY, 1) == -1) {
        err = errno;
        break;
      }
    }
  }
  if (pid > 0) {
    if (err != 0) kill(pid, SIGKILL);
    while (waitpid(pid, nullptr, 0) == -1 && errno == EINTR) {
    }
  }
  if (at != reinterpret_cast<void*>(-1)) shmdt(at);
  if (semid != -1) semctl(semid, 0, IPC_RMID);
  shmctl(shmid, IPC_RMID, nullptr);
  if (err != 0) {
    errno = err;
    return -1;
  }
  return total;
}
