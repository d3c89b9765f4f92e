// APUE 3e Figure 15.34, "timing comparison of semaphore implementations", on
// this machine: an XSI semaphore without SEM_UNDO vs a named POSIX semaphore.
#include <fcntl.h>
#include <semaphore.h>
#include <sys/ipc.h>
#include <sys/sem.h>

#include "contention.hpp"
#include "ipclab/check.hpp"
#include "process.hpp"
#include "scratch.hpp"

namespace ipclab::bench {
namespace {

class xsi_sem_lock : public process_lock {
public:
  explicit xsi_sem_lock(bool undo) : flags_(undo ? SEM_UNDO : 0) {
    id_ = check_unix(::semget(IPC_PRIVATE, 1, IPC_CREAT | 0600), "semget(IPC_PRIVATE)");
    if (::semctl(id_, 0, SETVAL, 1) < 0) {
      int err = errno;
      ::semctl(id_, 0, IPC_RMID);
      throw_errno(err, "semctl(SETVAL)");
    }
  }
  ~xsi_sem_lock() override { ::semctl(id_, 0, IPC_RMID); }
  void acquire() override { op(-1); }
  void release() override { op(+1); }

private:
  void op(short delta) {
    sembuf b{0, delta, flags_};
    while (::semop(id_, &b, 1) < 0)
      if (!retry_after(errno)) throw_errno(errno, "semop()");
  }
  short flags_;
  int id_ = -1;
};

/// A named POSIX semaphore, as APUE's timing uses; the name is unlinked as
/// soon as it is open (the processes inherit the mapping across fork).
class posix_sem_lock : public process_lock {
public:
  posix_sem_lock() {
    std::string name = posix_ipc_name("sem");
    sem_ = ::sem_open(name.c_str(), O_CREAT | O_EXCL, 0600, 1);
    if (sem_ == SEM_FAILED) throw_errno(errno, "sem_open(" + name + ")");
    ::sem_unlink(name.c_str());
  }
  ~posix_sem_lock() override { ::sem_close(sem_); }
  void acquire() override {
    while (::sem_wait(sem_) < 0)
      if (!retry_after(errno)) throw_errno(errno, "sem_wait()");
  }
  void release() override { check_unix(::sem_post(sem_), "sem_post()"); }

private:
  sem_t* sem_ = nullptr;
};

}  // namespace

std::unique_ptr<process_lock> make_xsi_sem_lock(bool undo) {
  return std::make_unique<xsi_sem_lock>(undo);
}

apue_table semaphore_implementations(long pairs, const on_row& progress) {
  // The book's figures (APUE 3e, Figure 15.34, Linux 3.2.0 columns): totals
  // in seconds of 3 processes each allocating and releasing 1,000,000 times.
  apue_table t{"15.34", "semaphore implementations", "POSIX semaphores", "Linux 3.2.0", 3, pairs,
               1'000'000, {}};
  progress("XSI semaphores");
  {
    xsi_sem_lock lock(false);
    t.rows.push_back({"XSI semaphores", time_contention(lock, t.processes, pairs), {{0.33, 5.93, 7.33}}});
  }
  progress("POSIX semaphores");
  {
    posix_sem_lock lock;
    t.rows.push_back({"POSIX semaphores", time_contention(lock, t.processes, pairs), {{0.26, 0.75, 0.41}}});
  }
  return t;
}

}  // namespace ipclab::bench
