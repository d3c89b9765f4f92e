// Chapter 06 demo — a writer and a reader moving text through an XSI shared
// memory segment, in lock-step with two XSI semaphores ("empty" and "full").
//
// The segment is tiny on purpose (24 bytes of data), so the text crosses it
// in several turns. Watch shm_nattch, the addresses each process got, and a
// segment that lives on after IPC_RMID until its last detach. Before the
// transfer: IPC_SET, an address rounded by SHM_RND, and SHM_LOCK.
//
// Run it:  ./ipclab demo xsi-shm           (add --trace to see `ipcs` views)
#include <sys/ipc.h>
#include <sys/resource.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <string>

#include "ipclab/die.hpp"
#include "ipclab/reap.hpp"
#include "ipclab/trace.hpp"

using ipclab::narrate;

namespace {

constexpr std::size_t kCapacity = 24;
const char kText[] =
    "A segment is plain memory mapped into two processes: no system call moves "
    "the bytes, so the two must agree on who may touch them, and when.";

//! [layout]
// What lives in the segment. Only sizes and offsets, never pointers: the
// segment is mapped at a different address in each process.
struct block {
  std::size_t count;      // bytes of data in this block; 0 means "the end"
  char data[kCapacity];
};
enum : unsigned short { kEmpty = 0, kFull = 1 };  // the two semaphores of the set
//! [layout]

void sem_add(int semid, unsigned short which, short delta) {
  sembuf op{which, delta, 0};
  while (semop(semid, &op, 1) < 0)
    if (errno != EINTR) ipclab::child_die_errno("semop");
}

// The segment as `ipcs -m` shows it: shm_perm's mode, nattch, status flags.
std::string nattch(int shmid) {
  shmid_ds ds{};
  if (shmctl(shmid, IPC_STAT, &ds) < 0) ipclab::die_errno("shmctl(IPC_STAT)");
  char mode[8];
  std::snprintf(mode, sizeof mode, "0%03o", ds.shm_perm.mode & 0777u);
  return std::string("mode ") + mode + ", nattch " + std::to_string(ds.shm_nattch) +
         ((ds.shm_perm.mode & SHM_LOCKED) != 0 ? ", locked in RAM" : "") +
         ((ds.shm_perm.mode & SHM_DEST) != 0 ? ", marked for removal" : "");
}

std::string where(const void* addr) {
  char text[32];
  std::snprintf(text, sizeof text, "%p", addr);
  return text;
}

//! [writer]
// The child: for each piece of the text, wait until the block is empty,
// fill it, and say it is full. A count of 0 ends the transfer.
[[noreturn]] void writer(int semid, block* seg) {
  std::size_t sent = 0, left = std::strlen(kText);
  do {
    sem_add(semid, kEmpty, -1);
    seg->count = left < kCapacity ? left : kCapacity;
    std::memcpy(seg->data, kText + sent, seg->count);
    sent += seg->count;
    left -= seg->count;
    sem_add(semid, kFull, +1);
  } while (seg->count > 0);
  if (shmdt(seg) < 0) ipclab::child_die_errno("shmdt");
  _exit(0);
}
//! [writer]

//! [reader]
// The parent: wait until the block is full, take its bytes, hand it back.
std::string reader(int semid, const block* seg) {
  std::string got;
  for (int turn = 1;; ++turn) {
    sem_add(semid, kFull, -1);
    if (seg->count == 0) return got;
    got.append(seg->data, seg->count);
    narrate("turn " + std::to_string(turn) + ": read \"" + std::string(seg->data, seg->count) + "\"");
    sem_add(semid, kEmpty, +1);
  }
}
//! [reader]

//! [rnd]
// An address given to shmat() must be a multiple of SHMLBA, unless SHM_RND
// asks the kernel to round it down to one.
void attach_rounded(int shmid) {
  void* spot = shmat(shmid, nullptr, SHM_RDONLY);  // a free address the kernel chose
  if (spot == reinterpret_cast<void*>(-1) || shmdt(spot) < 0) ipclab::die_errno("shmat/shmdt");
  char* odd = static_cast<char*>(spot) + 100;
  if (shmat(shmid, odd, SHM_RDONLY) != reinterpret_cast<void*>(-1) || errno != EINVAL)
    ipclab::die("shmat() at an address off SHMLBA should fail with EINVAL");
  void* got = shmat(shmid, odd, SHM_RDONLY | SHM_RND);
  if (got == reinterpret_cast<void*>(-1)) ipclab::die_errno("shmat(SHM_RND)");
  narrate("SHMLBA is " + std::to_string(SHMLBA) + ": shmat(" + where(odd) + ") fails with EINVAL, with " +
          "SHM_RND it attaches at " + where(got));
  if (shmdt(got) < 0) ipclab::die_errno("shmdt");
}
//! [rnd]

//! [lock]
// SHM_LOCK pins the pages in RAM. Allowed with CAP_IPC_LOCK, or to the owner
// within RLIMIT_MEMLOCK; a child that has neither is refused with EPERM.
void lock_in_ram(int shmid) {
  pid_t pid = fork();
  if (pid < 0) ipclab::die_errno("fork");
  if (pid == 0) {
    rlimit none{0, 0};
    if (setrlimit(RLIMIT_MEMLOCK, &none) < 0) ipclab::child_die_errno("setrlimit(RLIMIT_MEMLOCK)");
    if (geteuid() == 0 && setuid(65534) < 0) ipclab::child_die_errno("setuid(nobody)");  // drops CAP_IPC_LOCK
    int rc = shmctl(shmid, SHM_LOCK, nullptr);
    if (rc < 0 && errno != EPERM) ipclab::child_die_errno("shmctl(SHM_LOCK)");
    narrate(rc < 0 ? "without CAP_IPC_LOCK and with RLIMIT_MEMLOCK 0: SHM_LOCK fails with EPERM"
                   : "SHM_LOCK was allowed without CAP_IPC_LOCK and RLIMIT_MEMLOCK: unexpected");
    _exit(rc < 0 ? 0 : 1);
  }
  ipclab::reap_child(pid);
  if (shmctl(shmid, SHM_LOCK, nullptr) < 0) {
    if (errno != EPERM && errno != ENOMEM) ipclab::die_errno("shmctl(SHM_LOCK)");
    ipclab::warn_errno("shmctl(SHM_LOCK): we lack CAP_IPC_LOCK or RLIMIT_MEMLOCK room; its pages may be swapped");
    return;
  }
  narrate(std::string(geteuid() == 0 ? "as root (CAP_IPC_LOCK)" : "as its owner, within RLIMIT_MEMLOCK") +
          ", SHM_LOCK: " + nattch(shmid));
  if (shmctl(shmid, SHM_UNLOCK, nullptr) < 0) ipclab::die_errno("shmctl(SHM_UNLOCK)");
  narrate("SHM_UNLOCK: " + nattch(shmid));
}
//! [lock]

}  // namespace

int main() {
  int shmid = shmget(IPC_PRIVATE, sizeof(block), IPC_CREAT | 0600);
  if (shmid < 0) ipclab::die_errno("shmget");
  int semid = semget(IPC_PRIVATE, 2, IPC_CREAT | 0600);
  if (semid < 0) ipclab::die_errno("semget");
  unsigned short start[2] = {1, 0};  // the block starts empty
  if (semctl(semid, 0, SETALL, start) < 0) ipclab::die_errno("semctl(SETALL)");
  narrate("segment " + std::to_string(shmid) + " of " + std::to_string(sizeof(block)) +
          " bytes, semaphores {empty 1, full 0}: " + nattch(shmid));
  ipclab::trace_ipc("shmget and semget");
  //! [ipc-set]
  shmid_ds ds{};  // IPC_SET: the owner changes shm_perm's uid, gid or mode
  if (shmctl(shmid, IPC_STAT, &ds) < 0) ipclab::die_errno("shmctl(IPC_STAT)");
  ds.shm_perm.mode = 0640;  // the owner's group may now attach it read-only
  if (shmctl(shmid, IPC_SET, &ds) < 0) ipclab::die_errno("shmctl(IPC_SET)");
  //! [ipc-set]
  narrate("after IPC_SET: " + nattch(shmid));
  attach_rounded(shmid);
  lock_in_ram(shmid);

  pid_t pid = fork();
  if (pid < 0) ipclab::die_errno("fork");
  if (pid == 0) {
    void* addr = shmat(shmid, nullptr, 0);
    if (addr == reinterpret_cast<void*>(-1)) ipclab::child_die_errno("shmat");
    narrate("writer attached the segment at " + where(addr));
    writer(semid, static_cast<block*>(addr));
  }
  //! [attach]
  // The reader only reads the block: SHM_RDONLY makes any store fault.
  void* addr = shmat(shmid, nullptr, SHM_RDONLY);
  if (addr == reinterpret_cast<void*>(-1)) ipclab::die_errno("shmat");  // not NULL!
  //! [attach]
  narrate("reader attached it at " + where(addr) + " (read-only)");
  std::string got = reader(semid, static_cast<const block*>(addr));

  //! [rmid]
  ipclab::wait_child(pid);
  narrate("writer gone, it detached: " + nattch(shmid));
  // Removing an attached segment only marks it: it lives on, with key
  // IPC_PRIVATE, until the last process detaches.
  if (shmctl(shmid, IPC_RMID, nullptr) < 0) ipclab::die_errno("shmctl(IPC_RMID)");
  narrate("after IPC_RMID: " + nattch(shmid));
  if (shmdt(addr) < 0) ipclab::die_errno("shmdt");
  //! [rmid]
  narrate("reader detached: nattch reached 0, so the segment is gone now");
  if (semctl(semid, 0, IPC_RMID) < 0) ipclab::die_errno("semctl(IPC_RMID)");
  ipclab::trace_ipc("shmdt and IPC_RMID");
  narrate(got == kText ? "the whole text arrived intact" : "the text arrived damaged");
  return got == kText ? 0 : 1;
}
