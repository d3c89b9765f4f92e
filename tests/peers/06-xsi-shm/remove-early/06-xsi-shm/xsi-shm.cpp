// Peer style: "remove early", the defensive habit TLPI 48.5 describes. The
// caller attaches the segment and at once marks it for removal (IPC_RMID):
// the writer inherits the attachment across fork(), and the kernel frees
// the segment at the last detach, even if both processes are killed. The
// semaphores start with semctl(SETALL) through a union semun, and a block
// header is one signed count (negative: the writer's read() errno). The
// reader waits for "full" and posts "empty" with one helper that retries
// EINTR. Valid under xsi-shm.hpp: private objects, two attachments at most,
// lock-step blocks, a reaped writer and no object left afterwards.
#include "xsi-shm.hpp"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

union semun {
  int val;
  struct semid_ds* buf;
  unsigned short* array;
};

namespace {

enum { SEM_EMPTY = 0, SEM_FULL = 1 };

int sem_add(int semid, int which, int delta) {
  struct sembuf op;
  op.sem_num = static_cast<unsigned short>(which);
  op.sem_op = static_cast<short>(delta);
  op.sem_flg = 0;
  while (semop(semid, &op, 1) == -1)
    if (errno != EINTR) return -1;
  return 0;
}

int access_mode(int fd) {
  int fl = fcntl(fd, F_GETFL);
  return fl == -1 ? -1 : (fl & O_ACCMODE);
}

}  // namespace

void* xshm_attach(int shmid, int readonly) {
  void* p = shmat(shmid, nullptr, readonly ? SHM_RDONLY : 0);
  return p == reinterpret_cast<void*>(-1) ? nullptr : p;
}

int xshm_detach(const void* addr) { return shmdt(addr); }

long xshm_copy(int in_fd, int out_fd, size_t seg_size) {
  if (seg_size == 0) {
    errno = EINVAL;
    return -1;
  }
  int in_mode = access_mode(in_fd), out_mode = access_mode(out_fd);
  if (in_mode == -1 || in_mode == O_WRONLY || out_mode == -1 || out_mode == O_RDONLY) {
    errno = EBADF;
    return -1;
  }
  int semid = semget(IPC_PRIVATE, 2, IPC_CREAT | 0600);
  if (semid == -1) return -1;
  unsigned short start[2];
  start[SEM_EMPTY] = 1;
  start[SEM_FULL] = 0;
  union semun arg;
  arg.array = start;
  int err = semctl(semid, 0, SETALL, arg) == -1 ? errno : 0;

  long* seg = nullptr;  // seg[0]: the count; the data follow
  if (err == 0) {
    int shmid = shmget(IPC_PRIVATE, sizeof(long) + seg_size, IPC_CREAT | 0600);
    if (shmid == -1) {
      err = errno;
    } else {
      void* at = shmat(shmid, nullptr, 0);
      if (at == reinterpret_cast<void*>(-1)) err = errno;
      else seg = static_cast<long*>(at);
      shmctl(shmid, IPC_RMID, nullptr);  // gone at the last detach, whatever happens
    }
  }
  pid_t pid = -1;
  if (err == 0 && (pid = fork()) == -1) err = errno;
  if (pid == 0) {
    char* data = reinterpret_cast<char*>(seg + 1);
    for (;;) {
      if (sem_add(semid, SEM_EMPTY, -1) == -1) _exit(1);
      ssize_t n;
      do n = read(in_fd, data, seg_size);
      while (n == -1 && errno == EINTR);
      seg[0] = n == -1 ? -static_cast<long>(errno) : static_cast<long>(n);
      if (sem_add(semid, SEM_FULL, 1) == -1) _exit(1);
      if (n <= 0) break;
    }
    shmdt(seg);
    _exit(0);
  }
  long total = 0;
  while (err == 0) {
    if (sem_add(semid, SEM_FULL, -1) == -1) {
      err = errno;
      break;
    }
    long n = seg[0];
    if (n == 0) break;
    if (n < 0) {
      err = static_cast<int>(-n);
      break;
    }
    const char* p = reinterpret_cast<const char*>(seg + 1);
    size_t left = static_cast<size_t>(n);
    while (left > 0 && err == 0) {
      ssize_t w = write(out_fd, p, left);
      if (w == -1) {
        if (errno != EINTR) err = errno;
        continue;
      }
      p += w;
      left -= static_cast<size_t>(w);
    }
    if (err == 0) total += n;
    if (err == 0 && sem_add(semid, SEM_EMPTY, 1) == -1) err = errno;
  }
  if (pid > 0) {
    if (err != 0) kill(pid, SIGKILL);
    while (waitpid(pid, nullptr, 0) == -1 && errno == EINTR) {
    }
  }
  if (seg != nullptr) shmdt(seg);
  semctl(semid, 0, IPC_RMID);
  if (err != 0) {
    errno = err;
    return -1;
  }
  return total;
}
