// Chapter 11 — POSIX message queues and shared memory: the reference solution.
// The contract is posix-ipc.hpp.
#include "posix-ipc.hpp"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cstring>
#include <memory>
#include <new>

namespace {

// One slash, then at least one character and no other slash.
bool valid_name(const char* name) {
  return name != nullptr && name[0] == '/' && name[1] != '\0' && std::strchr(name + 1, '/') == nullptr;
}

// Undoes a side effect with @p undo, keeping the errno of what failed before.
template <class Undo>
void undo_keeping_errno(Undo undo) {
  int saved = errno;
  undo();
  errno = saved;
}

// mq_receive into a buffer of the queue's own message size: a smaller one
// is refused with EMSGSIZE, whatever the length of the message.
ssize_t receive_whole(mqd_t q, char* buf, size_t cap, unsigned* prio, const timespec* deadline) {
  mq_attr attr{};
  if (mq_getattr(q, &attr) < 0) return -1;
  std::unique_ptr<char[]> whole(new (std::nothrow) char[static_cast<size_t>(attr.mq_msgsize)]);
  if (!whole) {
    errno = ENOMEM;
    return -1;
  }
  size_t room = static_cast<size_t>(attr.mq_msgsize);
  ssize_t n = deadline ? mq_timedreceive(q, whole.get(), room, prio, deadline) : mq_receive(q, whole.get(), room, prio);
  if (n < 0) return -1;
  size_t copied = static_cast<size_t>(n) < cap ? static_cast<size_t>(n) : cap - 1;
  std::memcpy(buf, whole.get(), copied);
  buf[copied] = '\0';
  return n;
}

// Takes without waiting: O_NONBLOCK on the open queue description for the
// one receive, then the flags as they were (other users share them).
ssize_t receive_now(mqd_t q, char* buf, size_t cap, unsigned* prio) {
  mq_attr nonblocking{}, old{};
  nonblocking.mq_flags = O_NONBLOCK;
  if (mq_setattr(q, &nonblocking, &old) < 0) return -1;
  ssize_t n = receive_whole(q, buf, cap, prio, nullptr);
  undo_keeping_errno([&] { mq_setattr(q, &old, nullptr); });
  return n;
}

// Takes every message queued now; 0 once the queue is empty, -1 on error.
int take_all(mqd_t q, long& taken) {
  char ignored[1];
  for (;;) {
    if (pq_take(q, ignored, sizeof ignored, nullptr, 0) >= 0) ++taken;
    else return errno == EAGAIN ? 0 : -1;
  }
}

// One notification: mq_notify is one-shot, so register, empty the queue
// (a notice comes only for a message arriving on an empty queue), wait.
int one_round(mqd_t q, const sigset_t& wanted, long& taken) {
  sigevent ev{};
  ev.sigev_notify = SIGEV_SIGNAL;
  ev.sigev_signo = PQ_NOTIFY_SIGNAL;
  if (mq_notify(q, &ev) < 0 || take_all(q, taken) < 0) return -1;
  siginfo_t info;
  while (sigwaitinfo(&wanted, &info) < 0)
    if (errno != EINTR) return -1;
  return 0;
}

}  // namespace

mqd_t pq_create(const char* name, long maxmsg, long msgsize) {
  if (!valid_name(name) || maxmsg < 1 || msgsize < 1) {
    errno = EINVAL;
    return static_cast<mqd_t>(-1);
  }
  mq_attr attr{};
  attr.mq_maxmsg = maxmsg;
  attr.mq_msgsize = msgsize;
  return mq_open(name, O_CREAT | O_EXCL | O_RDWR, S_IRUSR | S_IWUSR, &attr);
}

int pq_send_job(mqd_t q, const char* text, int rank) {
  if (text == nullptr || rank < 1 || rank > PQ_RANKS) {
    errno = EINVAL;
    return -1;
  }
  // The largest priority comes out first: the most urgent rank gets it.
  return mq_send(q, text, std::strlen(text), static_cast<unsigned>(PQ_RANKS - rank));
}

ssize_t pq_take(mqd_t q, char* buf, size_t cap, int* rank, long timeout_ms) {
  if (buf == nullptr || cap == 0) {
    errno = EINVAL;
    return -1;
  }
  unsigned prio = 0;
  ssize_t n;
  if (timeout_ms == 0) {
    n = receive_now(q, buf, cap, &prio);
  } else if (timeout_ms < 0) {
    n = receive_whole(q, buf, cap, &prio, nullptr);
  } else {
    // mq_timedreceive wants an absolute CLOCK_REALTIME time: now + timeout.
    timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += timeout_ms / 1000;
    deadline.tv_nsec += (timeout_ms % 1000) * 1000000;
    if (deadline.tv_nsec >= 1000000000) {
      deadline.tv_sec += 1;
      deadline.tv_nsec -= 1000000000;
    }
    n = receive_whole(q, buf, cap, &prio, &deadline);
  }
  if (n >= 0 && rank != nullptr) *rank = PQ_RANKS - static_cast<int>(prio);
  return n;
}

long pq_collect(mqd_t q, int rounds) {
  if (rounds < 1) {
    errno = EINVAL;
    return -1;
  }
  sigset_t wanted, old;
  sigemptyset(&wanted);
  sigaddset(&wanted, PQ_NOTIFY_SIGNAL);
  // Blocked before registering: the signal then waits for sigwaitinfo
  // instead of killing the process.
  if (sigprocmask(SIG_BLOCK, &wanted, &old) < 0) return -1;
  long taken = 0;
  int rc = 0;
  for (int round = 0; round < rounds && rc == 0; ++round) rc = one_round(q, wanted, taken);
  if (rc == 0) rc = take_all(q, taken);
  undo_keeping_errno([&] {
    mq_notify(q, nullptr);  // a failed round may have left its registration
    sigprocmask(SIG_SETMASK, &old, nullptr);
  });
  return rc == 0 ? taken : -1;
}

int pq_destroy(mqd_t q, const char* name) {
  int closed = mq_close(q);
  if (name == nullptr) {
    errno = EINVAL;
    return -1;
  }
  // The name outlives every descriptor: only mq_unlink removes it.
  if (mq_unlink(name) < 0) return -1;
  return closed;
}

void* shm_region_create(const char* name, size_t size) {
  if (!valid_name(name) || size == 0) {
    errno = EINVAL;
    return nullptr;
  }
  int fd = shm_open(name, O_CREAT | O_EXCL | O_RDWR, S_IRUSR | S_IWUSR);
  if (fd < 0) return nullptr;
  // A new object is 0 bytes long: touching a mapping beyond its end raises
  // SIGBUS. Give it its size first.
  void* addr = MAP_FAILED;
  if (ftruncate(fd, static_cast<off_t>(size)) == 0)
    addr = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  undo_keeping_errno([&] {
    close(fd);  // the mapping keeps the object alive
    if (addr == MAP_FAILED) shm_unlink(name);
  });
  return addr == MAP_FAILED ? nullptr : addr;
}

void* shm_region_open(const char* name, size_t* size) {
  if (name == nullptr || size == nullptr) {
    errno = EINVAL;
    return nullptr;
  }
  int fd = shm_open(name, O_RDWR, 0);
  if (fd < 0) return nullptr;
  struct stat st {};
  void* addr = MAP_FAILED;
  if (fstat(fd, &st) == 0) {
    if (st.st_size == 0) errno = EINVAL;
    else addr = mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  }
  undo_keeping_errno([&] { close(fd); });
  if (addr == MAP_FAILED) return nullptr;
  *size = static_cast<size_t>(st.st_size);
  return addr;
}

int shm_region_remove(const char* name) {
  if (name == nullptr) {
    errno = EINVAL;
    return -1;
  }
  return shm_unlink(name);
}
