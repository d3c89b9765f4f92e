/// @file contention.hpp
/// @brief APUE's timing experiment: processes competing for one lock.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ipclab::bench {

/// A lock several processes share: created in the parent, inherited across fork.
class process_lock {
public:
  virtual ~process_lock() = default;  ///< removes the kernel objects (parent only)
  virtual void acquire() = 0;
  virtual void release() = 0;
};

/// Seconds, as APUE's tables give them.
struct cpu_times {
  double user = 0;    ///< user CPU of all the processes
  double system = 0;  ///< system CPU of all the processes
  double clock = 0;   ///< wall clock from the start signal to the last exit
};

/// Forks @p processes processes that each, once all are started, acquire
/// and release @p lock @p pairs times; waits for them all (wait4).
cpu_times time_contention(process_lock& lock, int processes, long pairs);

/// One row of an APUE table: what we measured, what the book printed.
struct apue_row {
  std::string operation;
  cpu_times measured;
  std::optional<cpu_times> book;  ///< empty when the book's figure is not confirmed
};

/// One of APUE's tables reproduced on this machine.
struct apue_table {
  std::string figure;     ///< "15.29"
  std::string title;
  std::string reference;  ///< the operation the clock ratios divide by
  std::string book_platform;
  int processes = 3;
  long pairs = 0;         ///< lock/unlock pairs per process, here
  long book_pairs = 0;    ///< and in the book
  std::vector<apue_row> rows;
};

/// Progress callback: the operation about to be timed.
using on_row = std::function<void(const std::string& operation)>;

/// APUE 3e Figure 15.29 (section 15.9): XSI semaphore with SEM_UNDO,
/// fcntl record locking, a process-shared pthread mutex in shared memory.
apue_table locking_alternatives(long pairs, const on_row& progress);

/// APUE 3e Figure 15.34 (section 15.10): XSI semaphore without SEM_UNDO
/// vs a named POSIX semaphore.
apue_table semaphore_implementations(long pairs, const on_row& progress);

/// An XSI semaphore (one, initial value 1) used as a lock; SEM_UNDO or not.
std::unique_ptr<process_lock> make_xsi_sem_lock(bool undo);  ///< apue_semaphores.cpp

}  // namespace ipclab::bench
