// demo-posix-ipc: POSIX message queues and shared memory, beyond APUE.
// Part 1: a message queue: its limits, priorities, EMSGSIZE, O_NONBLOCK and
// EAGAIN, a deadline, a notification by signal, and unlinking.
// Part 2: a shared memory object: why it needs ftruncate before mmap (a
// child shows the SIGBUS), sharing by name, and persistence until unlink.
//
// Run it:  ./ipclab demo posix-ipc
#include <fcntl.h>
#include <mqueue.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

#include "ipclab/check.hpp"
#include "ipclab/die.hpp"
#include "ipclab/reap.hpp"
#include "ipclab/trace.hpp"

namespace {

using ipclab::check_unix;
using ipclab::narrate;

const std::string queue_name = "/ipclab-demo-mq." + std::to_string(getpid());
const std::string region_name = "/ipclab-demo-shm." + std::to_string(getpid());

// On every way out (die_errno exits): no name is left behind.
void remove_names() {
  mq_unlink(queue_name.c_str());
  shm_unlink(region_name.c_str());
}

std::string limit(const char* file) {
  std::ifstream in(std::string("/proc/sys/fs/mqueue/") + file);
  std::string v;
  return in >> v ? v : "?";
}

// Receives one message with a buffer of the queue's mq_msgsize.
std::string take(mqd_t q, unsigned* prio) {
  char buf[64];  // the queue below has mq_msgsize 64
  ssize_t n = check_unix(mq_receive(q, buf, sizeof buf, prio), "mq_receive()");
  return std::string(buf, static_cast<size_t>(n));
}

void message_queue() {
  narrate("limits for unprivileged queues (/proc/sys/fs/mqueue): msg_max " + limit("msg_max") + ", msgsize_max " +
          limit("msgsize_max") + ", queues_max " + limit("queues_max"));
  //! [mq-create]
  mq_attr attr{};
  attr.mq_maxmsg = 4;    // at most 4 messages queued...
  attr.mq_msgsize = 64;  // ...of at most 64 bytes each
  mqd_t q = mq_open(queue_name.c_str(), O_CREAT | O_EXCL | O_RDWR, 0600, &attr);
  if (q == static_cast<mqd_t>(-1)) ipclab::die_errno("mq_open(" + queue_name + ", O_CREAT | O_EXCL)");
  //! [mq-create]
  narrate("created " + queue_name + ": 4 messages of 64 bytes at most");

  //! [mq-priorities]
  check_unix(mq_send(q, "low", 3, 1), "mq_send(low)");
  check_unix(mq_send(q, "urgent", 6, 9), "mq_send(urgent)");
  check_unix(mq_send(q, "normal", 6, 5), "mq_send(normal)");
  unsigned prio = 0;
  for (int i = 0; i < 3; ++i) {
    std::string got = take(q, &prio);  // the highest priority comes first
    narrate("received \"" + got + "\" (priority " + std::to_string(prio) + ")");
  }
  //! [mq-priorities]

  //! [mq-emsgsize]
  check_unix(mq_send(q, "hi", 2, 0), "mq_send(hi)");
  char small[16];
  if (mq_receive(q, small, sizeof small, nullptr) >= 0) ipclab::die("mq_receive took a 16-byte buffer?");
  narrate(std::string("mq_receive with 16 bytes of room for a 2-byte message: ") + ipclab::errno_name(errno) +
          " (the buffer must hold mq_msgsize bytes); the message stays");
  narrate("with 64 bytes of room: \"" + take(q, nullptr) + "\"");
  //! [mq-emsgsize]

  //! [mq-nonblock]
  mq_attr nonblocking{}, old{};
  nonblocking.mq_flags = O_NONBLOCK;
  check_unix(mq_setattr(q, &nonblocking, &old), "mq_setattr(O_NONBLOCK)");
  char buf[64];
  if (ipclab::check_try(static_cast<int>(mq_receive(q, buf, sizeof buf, nullptr)), "mq_receive()"))
    ipclab::die("an empty queue gave a message?");
  narrate("non-blocking receive on an empty queue: EAGAIN instead of waiting");
  int sent = 0;
  while (ipclab::check_try(mq_send(q, "x", 1, 0), "mq_send()")) ++sent;
  narrate("non-blocking sends: " + std::to_string(sent) + " went in, the next one got EAGAIN (full)");
  while (ipclab::check_try(static_cast<int>(mq_receive(q, buf, sizeof buf, nullptr)), "mq_receive()")) {
  }
  check_unix(mq_setattr(q, &old, nullptr), "mq_setattr(old flags)");
  //! [mq-nonblock]

  timespec deadline;
  check_unix(clock_gettime(CLOCK_REALTIME, &deadline), "clock_gettime()");
  deadline.tv_nsec += 100 * 1000000;  // an absolute time: now + 100 ms
  if (deadline.tv_nsec >= 1000000000) deadline.tv_sec += 1, deadline.tv_nsec -= 1000000000;
  if (mq_timedreceive(q, buf, sizeof buf, nullptr, &deadline) >= 0 || errno != ETIMEDOUT)
    ipclab::die_errno("mq_timedreceive() should have timed out");
  narrate("mq_timedreceive on the empty queue: ETIMEDOUT at the deadline");

  //! [mq-notify]
  sigset_t usr1;
  sigemptyset(&usr1);
  sigaddset(&usr1, SIGUSR1);
  check_unix(sigprocmask(SIG_BLOCK, &usr1, nullptr), "sigprocmask()");  // else SIGUSR1 kills us
  sigevent ev{};
  ev.sigev_notify = SIGEV_SIGNAL;
  ev.sigev_signo = SIGUSR1;
  check_unix(mq_notify(q, &ev), "mq_notify()");
  pid_t pid = check_unix(fork(), "fork()");
  if (pid == 0) {  // a sender that finds the queue by its name
    mqd_t w = mq_open(queue_name.c_str(), O_WRONLY);
    if (w == static_cast<mqd_t>(-1) || mq_send(w, "ping", 4, 0) < 0) ipclab::child_die_errno("child mq_send");
    _exit(0);
  }
  siginfo_t info;
  check_unix(sigwaitinfo(&usr1, &info), "sigwaitinfo()");
  narrate(std::string("SIGUSR1 came ") + (info.si_code == SI_MESGQ ? "from the queue (SI_MESGQ)" : "from elsewhere") +
          ", sent by pid " + std::to_string(info.si_pid) + ": \"" + take(q, nullptr) + "\"");
  ipclab::reap_child(pid);
  //! [mq-notify]
  narrate("that registration is used up: the next message would notify nobody");

  //! [mq-unlink]
  check_unix(mq_close(q), "mq_close()");
  check_unix(mq_unlink(queue_name.c_str()), "mq_unlink()");
  if (mq_open(queue_name.c_str(), O_RDONLY) != static_cast<mqd_t>(-1) || errno != ENOENT)
    ipclab::die_errno("the queue survived mq_unlink?");
  //! [mq-unlink]
  narrate("closed and unlinked: mq_open(" + queue_name + ") now fails with ENOENT");
}

void shared_memory() {
  const size_t size = 4096;
  //! [shm-sigbus]
  int fd = check_unix(shm_open(region_name.c_str(), O_CREAT | O_EXCL | O_RDWR, 0600), "shm_open()");
  struct stat st {};
  check_unix(fstat(fd, &st), "fstat()");
  narrate("created " + region_name + ": " + std::to_string(st.st_size) + " bytes long");
  pid_t pid = check_unix(fork(), "fork()");
  if (pid == 0) {  // the mistake: mapping, then touching, before ftruncate
    rlimit no_core{0, 0};  // the crash is the lesson: no core file
    if (setrlimit(RLIMIT_CORE, &no_core) < 0) ipclab::child_die_errno("setrlimit()");
    void* p = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) ipclab::child_die_errno("mmap()");
    static_cast<char*>(p)[0] = 'x';  // beyond the end of a 0-byte object
    _exit(0);
  }
  int status = ipclab::wait_child(pid);
  narrate(WIFSIGNALED(status) && WTERMSIG(status) == SIGBUS
              ? "a child that mapped it and wrote before ftruncate was killed by SIGBUS"
              : "the child was not killed by SIGBUS?");
  //! [shm-sigbus]

  //! [shm-create]
  check_unix(ftruncate(fd, static_cast<off_t>(size)), "ftruncate()");
  void* area = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (area == MAP_FAILED) ipclab::die_errno("mmap()");
  check_unix(close(fd), "close()");  // the mapping keeps the object alive
  pid = check_unix(fork(), "fork()");
  if (pid == 0) {  // finds the object by name, as an unrelated process would
    int cfd = shm_open(region_name.c_str(), O_RDWR, 0);
    void* p = cfd < 0 ? MAP_FAILED : mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, cfd, 0);
    if (p == MAP_FAILED) ipclab::child_die_errno("child shm_open/mmap");
    std::strcpy(static_cast<char*>(p), "written by the child");
    _exit(0);
  }
  ipclab::reap_child(pid);
  narrate(std::string("after ftruncate(4096), the parent reads \"") + static_cast<char*>(area) + "\"");
  //! [shm-create]

  //! [shm-remove]
  check_unix(munmap(area, size), "munmap()");
  narrate(std::string("unmapped by everyone, the object is still there: ") +
          (stat(("/dev/shm" + region_name).c_str(), &st) == 0 ? "/dev/shm" + region_name : "gone?"));
  check_unix(shm_unlink(region_name.c_str()), "shm_unlink()");
  //! [shm-remove]
  narrate("shm_unlink removed it: /dev/shm" + region_name + " is gone");
}

}  // namespace

int main() {
  std::atexit(remove_names);
  narrate("1. a POSIX message queue");
  message_queue();
  narrate("2. a POSIX shared memory object");
  shared_memory();
  return 0;
}
