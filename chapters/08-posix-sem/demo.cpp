// demo-posix-sem: POSIX semaphores, named and unnamed (APUE 15.10).
// Part 1: a named semaphore joins two unrelated programs. The demo starts a
// second program (itself, exec'ed: it shares no memory with us) that finds
// the semaphore by its name alone and posts it; we wait with a deadline.
// Part 2: an unnamed semaphore, sem_init'ed with pshared = 1 inside a
// MAP_SHARED mapping, between a parent and the child it forks.
//
// Run it:  ./ipclab demo posix-sem [--trace]     (--trace lists /dev/shm)
#include <dirent.h>
#include <fcntl.h>
#include <semaphore.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "ipclab/check.hpp"
#include "ipclab/die.hpp"
#include "ipclab/reap.hpp"
#include "ipclab/trace.hpp"

namespace {

using ipclab::narrate;

void trace_dev_shm(const std::string& step) {
  if (!ipclab::tracing()) return;
  std::string names;
  if (DIR* dir = opendir("/dev/shm")) {
    while (dirent* e = readdir(dir))
      if (e->d_name[0] != '.') names += std::string(" ") + e->d_name;
    closedir(dir);
  }
  narrate("/dev/shm after " + step + ":" + (names.empty() ? " (empty)" : names));
}

//! [named-open]
// The second program: all it knows is the name.
int worker(const char* name) {
  sem_t* done = sem_open(name, 0);  // no O_CREAT: it must exist already
  if (done == SEM_FAILED) ipclab::die_errno(std::string("sem_open(") + name + ")");
  narrate(std::string("worker: opened ") + name + " by name; posting it");
  if (sem_post(done) < 0) ipclab::die_errno("sem_post()");
  if (sem_close(done) < 0) ipclab::die_errno("sem_close()");
  return 0;
}
//! [named-open]

// Removes the name before stopping, so a failure leaves nothing in /dev/shm.
[[noreturn]] void unlink_and_die(const std::string& name, const std::string& what) {
  int saved = errno;
  sem_unlink(name.c_str());
  errno = saved;
  ipclab::die_errno(what);
}

void named_semaphore() {
  //! [named-create]
  std::string name = "/ipclab-demo." + std::to_string(getpid());
  sem_t* done = sem_open(name.c_str(), O_CREAT | O_EXCL, S_IRUSR | S_IWUSR, 0);
  if (done == SEM_FAILED) ipclab::die_errno("sem_open(" + name + ", O_CREAT | O_EXCL)");
  //! [named-create]
  narrate("parent: created " + name + " with value 0");
  trace_dev_shm("sem_open");
  bool got = ipclab::check_try(sem_trywait(done), "sem_trywait()");
  narrate(std::string("parent: sem_trywait at value 0 ") + (got ? "succeeded?!" : "fails with EAGAIN"));

  pid_t pid = fork();
  if (pid < 0) unlink_and_die(name, "fork()");
  if (pid == 0) {
    execl("/proc/self/exe", "demo-posix-sem", "--worker", name.c_str(), static_cast<char*>(nullptr));
    ipclab::child_die_errno("execl(/proc/self/exe)");
  }
  //! [timed-wait]
  timespec deadline;
  clock_gettime(CLOCK_REALTIME, &deadline);
  deadline.tv_sec += 5;  // an absolute time: now + 5 s
  int rc;
  while ((rc = sem_timedwait(done, &deadline)) < 0 && errno == EINTR) {
  }
  if (rc < 0) unlink_and_die(name, "sem_timedwait()");  // ETIMEDOUT: the worker never posted
  //! [timed-wait]
  narrate("parent: the worker's post woke us up");
  ipclab::reap_child(pid);

  //! [named-remove]
  if (sem_close(done) < 0) unlink_and_die(name, "sem_close()");
  if (sem_unlink(name.c_str()) < 0) ipclab::die_errno("sem_unlink(" + name + ")");
  //! [named-remove]
  narrate("parent: closed and unlinked " + name);
  trace_dev_shm("sem_unlink");
}

//! [unnamed]
struct mailbox {
  sem_t ready;  // unnamed: it is just memory, here in a shared mapping
  long answer;
};

void unnamed_semaphore() {
  void* area = mmap(nullptr, sizeof(mailbox), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (area == MAP_FAILED) ipclab::die_errno("mmap()");
  auto* box = static_cast<mailbox*>(area);
  if (sem_init(&box->ready, 1, 0) < 0) ipclab::die_errno("sem_init(pshared = 1)");
  pid_t pid = fork();
  if (pid < 0) ipclab::die_errno("fork()");
  if (pid == 0) {
    box->answer = 42;
    narrate("child: stored the answer; posting");
    if (sem_post(&box->ready) < 0) ipclab::child_die_errno("sem_post()");
    _exit(0);
  }
  while (sem_wait(&box->ready) < 0)
    if (errno != EINTR) ipclab::die_errno("sem_wait()");
  int value = -1;
  if (sem_getvalue(&box->ready, &value) < 0) ipclab::die_errno("sem_getvalue()");
  narrate("parent: read " + std::to_string(box->answer) + "; the semaphore is back to " +
          std::to_string(value));
  ipclab::reap_child(pid);
  if (sem_destroy(&box->ready) < 0) ipclab::die_errno("sem_destroy()");
  if (munmap(area, sizeof(mailbox)) < 0) ipclab::die_errno("munmap()");
}
//! [unnamed]

}  // namespace

int main(int argc, char* argv[]) {
  if (argc == 3 && std::string(argv[1]) == "--worker") return worker(argv[2]);
  narrate("1. a named semaphore between two programs that share nothing but its name");
  named_semaphore();
  narrate("2. an unnamed semaphore in memory shared with a forked child");
  unnamed_semaphore();
  return 0;
}
