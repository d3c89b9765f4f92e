// Chapter 05 demo — an XSI semaphore used as a lock, and SEM_UNDO at work.
//
// Three workers take turns in a critical section guarded by one semaphore;
// then a holder is killed with SIGKILL while it holds the lock, and the
// kernel gives the lock back because it was taken with SEM_UNDO. Last, a
// child waits for the value 0 (GETZCNT sees it, SETVAL wakes it, GETALL
// reads the set) and IPC_SET changes the set's permissions.
//
// Run it:  ./ipclab demo xsi-sem           (add --trace to see `ipcs` views)
#include <sched.h>
#include <signal.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "ipclab/die.hpp"
#include "ipclab/reap.hpp"
#include "ipclab/trace.hpp"

using ipclab::narrate;

namespace {

constexpr int kWorkers = 3;
constexpr int kTurns = 2;

//! [lock]
// One semop() on semaphore 0. SEM_UNDO makes the kernel record the opposite
// adjustment, applied when this process exits however it exits.
void change(int semid, short delta) {
  sembuf op{0, delta, SEM_UNDO};
  while (semop(semid, &op, 1) < 0)
    if (errno != EINTR) ipclab::child_die_errno("semop");
}
void lock(int semid) { change(semid, -1); }
void unlock(int semid) { change(semid, +1); }
//! [lock]

int value(int semid) {
  int v = semctl(semid, 0, GETVAL);
  if (v < 0) ipclab::die_errno("semctl(GETVAL)");
  return v;
}

void worker(int semid, int number) {
  for (int turn = 1; turn <= kTurns; ++turn) {
    lock(semid);
    narrate("worker " + std::to_string(number) + " is alone in the critical section (turn " +
            std::to_string(turn) + ")");
    narrate("worker " + std::to_string(number) + " leaves it");
    unlock(semid);
  }
}

//! [killed]
// A child takes the lock, says so on a pipe, then waits to be killed.
void holder_killed(int semid) {
  int ready[2];
  if (pipe(ready) < 0) ipclab::die_errno("pipe");
  pid_t pid = fork();
  if (pid < 0) ipclab::die_errno("fork");
  if (pid == 0) {
    close(ready[0]);
    lock(semid);
    if (write(ready[1], "L", 1) != 1) ipclab::child_die_errno("write");
    pause();  // holds the lock until SIGKILL
    _exit(0);
  }
  close(ready[1]);
  char c;
  if (read(ready[0], &c, 1) != 1) ipclab::die("the holder died before it took the lock");
  close(ready[0]);
  narrate("holder " + std::to_string(pid) + " has the lock: value " + std::to_string(value(semid)) +
          ", last semop by pid " + std::to_string(semctl(semid, 0, GETPID)));
  if (kill(pid, SIGKILL) < 0) ipclab::die_errno("kill");
  ipclab::wait_child(pid);  // once reaped, its exit has run the undo adjustment
  narrate("holder killed by SIGKILL; SEM_UNDO gave the lock back: value " +
          std::to_string(value(semid)));
}
//! [killed]

//! [zero]
// sem_op 0 waits for the value to reach 0: GETZCNT counts such sleepers,
// SETVAL sets the value outright and wakes them, GETALL reads every value.
void wait_for_zero(int semid) {
  pid_t pid = fork();
  if (pid < 0) ipclab::die_errno("fork");
  if (pid == 0) {
    sembuf op{0, 0, 0};
    while (semop(semid, &op, 1) < 0)
      if (errno != EINTR) ipclab::child_die_errno("semop(wait for 0)");
    _exit(0);
  }
  int sleeping;
  while ((sleeping = semctl(semid, 0, GETZCNT)) == 0)  // until the child sleeps in semop()
    if (waitpid(pid, nullptr, WNOHANG) != 0) ipclab::die("the waiter ended before it slept");
  if (sleeping < 0) ipclab::die_errno("semctl(GETZCNT)");
  narrate(std::to_string(sleeping) + " process asleep until the value reaches 0 (GETZCNT), value " +
          std::to_string(value(semid)));
  if (semctl(semid, 0, SETVAL, 0) < 0) ipclab::die_errno("semctl(SETVAL, 0)");
  ipclab::wait_child(pid);
  unsigned short all[1];
  if (semctl(semid, 0, GETALL, all) < 0) ipclab::die_errno("semctl(GETALL)");
  narrate("SETVAL 0 woke it; GETALL reads the set's values: {" + std::to_string(all[0]) + "}");
}
//! [zero]

std::string perm(int semid) {
  semid_ds ds{};
  if (semctl(semid, 0, IPC_STAT, &ds) < 0) ipclab::die_errno("semctl(IPC_STAT)");
  char text[96];
  std::snprintf(text, sizeof text, "sem_perm: uid %u gid %u cuid %u mode 0%03o", ds.sem_perm.uid,
                ds.sem_perm.gid, ds.sem_perm.cuid, ds.sem_perm.mode & 0777u);
  return text;
}

//! [ipc-set]
// IPC_SET copies sem_perm's uid, gid and mode into the set: allowed to its
// owner, its creator or a privileged process, whatever the mode says.
void open_to_group(int semid) {
  semid_ds ds{};
  if (semctl(semid, 0, IPC_STAT, &ds) < 0) ipclab::die_errno("semctl(IPC_STAT)");
  ds.sem_perm.mode = 0660;  // the owner's group may now semop() too
  if (semctl(semid, 0, IPC_SET, &ds) < 0) ipclab::die_errno("semctl(IPC_SET)");
}
//! [ipc-set]

}  // namespace

int main() {
  //! [create]
  // A private set of one semaphore. semget() leaves it at 0 and sem_otime at
  // 0; one semop() of +1 makes it an unlocked lock and stamps sem_otime.
  int semid = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600);
  if (semid < 0) ipclab::die_errno("semget");
  sembuf init{0, +1, 0};
  if (semop(semid, &init, 1) < 0) ipclab::die_errno("semop(init)");
  //! [create]
  narrate("created semaphore set " + std::to_string(semid) + ", value " + std::to_string(value(semid)));
  ipclab::trace_ipc("semget");

  lock(semid);  // hold the workers back until all of them are started
  pid_t workers[kWorkers];
  for (int i = 0; i < kWorkers; ++i) {
    workers[i] = fork();
    if (workers[i] < 0) ipclab::die_errno("fork");
    if (workers[i] == 0) {
      worker(semid, i + 1);
      _exit(0);
    }
  }
  int waiting;
  while ((waiting = semctl(semid, 0, GETNCNT)) == 0)  // until a worker sleeps in semop()
    sched_yield();
  if (waiting < 0) ipclab::die_errno("semctl(GETNCNT)");
  narrate(std::to_string(waiting) + " worker(s) asleep in semop() (GETNCNT); unlocking");
  unlock(semid);
  for (pid_t pid : workers) ipclab::wait_child(pid);

  holder_killed(semid);
  wait_for_zero(semid);
  narrate("before IPC_SET, " + perm(semid));
  open_to_group(semid);
  narrate("after IPC_SET,  " + perm(semid));

  if (semctl(semid, 0, IPC_RMID) < 0) ipclab::die_errno("semctl(IPC_RMID)");
  narrate("removed the set with IPC_RMID: XSI objects outlive processes until then");
  ipclab::trace_ipc("IPC_RMID");
  return 0;
}
