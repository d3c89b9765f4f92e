// Chapter 06 — XSI shared memory: the reference solution. The contract is xsi-shm.hpp.
#include "xsi-shm.hpp"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ipclab/io.hpp"

namespace {

enum : unsigned short { kEmpty = 0, kFull = 1 };

// The segment: one block at a time. count > 0: that many bytes of data;
// 0: end-of-file; < 0: the writer's read() failed with errno -count.
struct block {
  long count;
  char data[1];  // really seg_size bytes
};

int post_wait(int semid, unsigned short which, short delta) {
  sembuf op{which, delta, 0};
  int rc;
  while ((rc = semop(semid, &op, 1)) < 0 && errno == EINTR) {
  }
  return rc;
}

bool open_for(int fd, int unwanted_mode) {
  int flags = fcntl(fd, F_GETFL);
  return flags >= 0 && (flags & O_ACCMODE) != unwanted_mode;
}

// The child: fill the segment from in_fd, one block per "empty".
[[noreturn]] void writer(int in_fd, block* seg, size_t seg_size, int semid) {
  for (;;) {
    if (post_wait(semid, kEmpty, -1) < 0) _exit(1);  // EIDRM: the reader gave up
    ssize_t n;
    while ((n = read(in_fd, seg->data, seg_size)) < 0 && errno == EINTR) {
    }
    seg->count = n < 0 ? -static_cast<long>(errno) : static_cast<long>(n);
    if (post_wait(semid, kFull, +1) < 0) _exit(1);
    if (n <= 0) break;
  }
  shmdt(seg);
  _exit(0);
}

// The caller: empty the segment into out_fd; returns the total, or -1.
long reader(int out_fd, const block* seg, int semid) {
  long total = 0;
  for (;;) {
    if (post_wait(semid, kFull, -1) < 0) return -1;
    long n = seg->count;
    if (n == 0) return total;
    if (n < 0) {
      errno = static_cast<int>(-n);
      return -1;
    }
    if (ipclab::writen(out_fd, seg->data, static_cast<size_t>(n)) < 0) return -1;
    total += n;
    if (post_wait(semid, kEmpty, +1) < 0) return -1;
  }
}

}  // namespace

void* xshm_attach(int shmid, int readonly) {
  void* addr = shmat(shmid, nullptr, readonly ? SHM_RDONLY : 0);
  return addr == reinterpret_cast<void*>(-1) ? nullptr : addr;
}

int xshm_detach(const void* addr) { return shmdt(addr); }

long xshm_copy(int in_fd, int out_fd, size_t seg_size) {
  if (seg_size == 0) {
    errno = EINVAL;
    return -1;
  }
  if (!open_for(in_fd, O_WRONLY) || !open_for(out_fd, O_RDONLY)) {
    errno = EBADF;
    return -1;
  }
  int shmid = shmget(IPC_PRIVATE, offsetof(block, data) + seg_size, IPC_CREAT | 0600);
  if (shmid < 0) return -1;
  int semid = semget(IPC_PRIVATE, 2, IPC_CREAT | 0600);
  unsigned short start[2] = {1, 0};  // empty, full
  void* addr = reinterpret_cast<void*>(-1);
  pid_t pid = -1;
  long result = -1;
  if (semid >= 0 && semctl(semid, 0, SETALL, start) == 0 &&
      (addr = shmat(shmid, nullptr, 0)) != reinterpret_cast<void*>(-1) && (pid = fork()) >= 0) {
    // Attached before fork(): the child inherits the attachment (nattch 2).
    if (pid == 0) writer(in_fd, static_cast<block*>(addr), seg_size, semid);
    result = reader(out_fd, static_cast<const block*>(addr), semid);
  }
  int saved = errno;
  if (pid > 0) {
    if (result < 0) kill(pid, SIGKILL);  // it may be blocked in read() or semop()
    while (waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
    }
  }
  if (addr != reinterpret_cast<void*>(-1)) shmdt(addr);
  if (semid >= 0) semctl(semid, 0, IPC_RMID);
  shmctl(shmid, IPC_RMID, nullptr);
  errno = saved;
  return result;
}
