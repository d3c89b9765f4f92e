// APUE 3e Figure 15.29, "timing comparison of locking alternatives", on this
// machine: an XSI semaphore with SEM_UNDO, an fcntl record lock, and a
// process-shared pthread mutex in shared memory.
#include <fcntl.h>
#include <pthread.h>
#include <sys/mman.h>
#include <unistd.h>

#include <string>

#include "contention.hpp"
#include "ipclab/check.hpp"
#include "ipclab/unique_fd.hpp"
#include "process.hpp"
#include "scratch.hpp"

namespace ipclab::bench {
namespace {

/// A write lock on byte 0 of a file in the work folder (APUE's lock_reg).
class record_lock : public process_lock {
public:
  record_lock() : path_(scratch_path() + "/record-lock") {
    fd_ = unique_fd(check_unix(::open(path_.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600),
                               "open(" + path_ + ")"));
  }
  ~record_lock() override { ::unlink(path_.c_str()); }
  void acquire() override { set(F_WRLCK); }
  void release() override { set(F_UNLCK); }

private:
  void set(short type) {
    struct flock fl {};
    fl.l_type = type;
    fl.l_whence = SEEK_SET;
    fl.l_start = 0;
    fl.l_len = 1;
    while (::fcntl(fd_.get(), F_SETLKW, &fl) < 0)
      if (!retry_after(errno)) throw_errno(errno, "fcntl(F_SETLKW)");
  }
  std::string path_;
  unique_fd fd_;
};

/// A PTHREAD_PROCESS_SHARED mutex in an anonymous shared mapping.
class shared_mutex_lock : public process_lock {
public:
  shared_mutex_lock() {
    void* at = ::mmap(nullptr, sizeof(pthread_mutex_t), PROT_READ | PROT_WRITE,
                      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (at == MAP_FAILED) throw_errno(errno, "mmap(MAP_SHARED|MAP_ANONYMOUS)");
    mutex_ = static_cast<pthread_mutex_t*>(at);
    pthread_mutexattr_t attr;
    check_posix(::pthread_mutexattr_init(&attr), "pthread_mutexattr_init()");
    check_posix(::pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED),
                "pthread_mutexattr_setpshared()");
    check_posix(::pthread_mutex_init(mutex_, &attr), "pthread_mutex_init()");
    ::pthread_mutexattr_destroy(&attr);
  }
  ~shared_mutex_lock() override {
    ::pthread_mutex_destroy(mutex_);
    ::munmap(mutex_, sizeof(pthread_mutex_t));
  }
  void acquire() override { check_posix(::pthread_mutex_lock(mutex_), "pthread_mutex_lock()"); }
  void release() override { check_posix(::pthread_mutex_unlock(mutex_), "pthread_mutex_unlock()"); }

private:
  pthread_mutex_t* mutex_ = nullptr;
};

}  // namespace

apue_table locking_alternatives(long pairs, const on_row& progress) {
  // The book's figures (APUE 3e, Figure 15.29, Linux): totals in seconds of
  // 3 processes each allocating and releasing the resource 1,000,000 times.
  apue_table t{"15.29", "locking alternatives", "mutex in shared memory", "Linux", 3, pairs,
               1'000'000, {}};
  struct entry {
    const char* operation;
    cpu_times book;
    std::unique_ptr<process_lock> (*make)();
  };
  const entry entries[] = {
      {"semaphores with undo", {0.50, 6.08, 7.55}, [] { return make_xsi_sem_lock(true); }},
      {"advisory record locking", {0.51, 9.06, 4.38},
       []() -> std::unique_ptr<process_lock> { return std::make_unique<record_lock>(); }},
      {"mutex in shared memory", {0.21, 0.40, 0.25},
       []() -> std::unique_ptr<process_lock> { return std::make_unique<shared_mutex_lock>(); }},
  };
  for (const auto& e : entries) {
    progress(e.operation);
    auto lock = e.make();
    t.rows.push_back({e.operation, time_contention(*lock, t.processes, pairs), e.book});
  }
  return t;
}

}  // namespace ipclab::bench
