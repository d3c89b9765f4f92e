// Chapter 06 demo — a writer and a reader moving text through an XSI shared
// memory segment, in lock-step with two XSI semaphores ("empty" and "full").
//
// The segment is tiny on purpose (24 bytes of data), so the text crosses it
// in several turns. Watch shm_nattch, the addresses each process got, and a
// segment that lives on after IPC_RMID until its last detach.
//
// Run it:  ./ipclab demo xsi-shm           (add --trace to see `ipcs` views)
#include <sys/ipc.h>
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

std::string nattch(int shmid) {
  shmid_ds ds{};
  if (shmctl(shmid, IPC_STAT, &ds) < 0) ipclab::die_errno("shmctl(IPC_STAT)");
  bool marked = (ds.shm_perm.mode & SHM_DEST) != 0;
  return "nattch " + std::to_string(ds.shm_nattch) + (marked ? ", marked for removal" : "");
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
