// The harness stops a deadlocked call early and leaves a timed wait alone.
//
// For each kind of wait a student's code can deadlock in (pipe, child, FIFO
// open, msgrcv, semop, sem_wait, futex/condition variable, socket recv), one
// test builds a real deadlock and checks that the call ended as deadlocked,
// with the explanation and the drawing of the cycle; its twin waits the same
// way with a timeout (or for a partner that is merely slow) and must return
// normally. No test measures time: each asserts how the call ended.
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>
#include <string>

#include <catch2/catch.hpp>

#include "ipclab/sandbox.hpp"
#include "selftest_module.hpp"

namespace sandbox = ipclab::sandbox;
using namespace std::chrono_literals;

namespace {

// Longer than the detector needs to decide (two quiet ticks), shorter than the wall limit.
constexpr int kWaitMs = 1200;
const sandbox::limits kLimits{.wall = 4s};

timespec relative(int ms) { return {ms / 1000, (ms % 1000) * 1000000L}; }

timespec absolute(int ms) {
  timespec t{};
  ::clock_gettime(CLOCK_REALTIME, &t);
  t.tv_sec += ms / 1000;
  t.tv_nsec += (ms % 1000) * 1000000L;
  if (t.tv_nsec >= 1000000000L) {
    t.tv_sec += 1;
    t.tv_nsec -= 1000000000L;
  }
  return t;
}

void pause_ms(int ms) {
  timespec t = relative(ms);
  while (::nanosleep(&t, &t) != 0 && errno == EINTR) {
  }
}

// Forks @p child_body (which ends with _exit) and waits for it: the child's
// exit status, or -1.
template <class F>
long fork_and_wait(F child_body) {
  pid_t pid = ::fork();
  if (pid < 0) return -1;
  if (pid == 0) ::_exit(child_body());
  int status = 0;
  if (::waitpid(pid, &status, 0) != pid) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// The module is loaded: each body proves it before it waits.
void module_loaded() {
  if (STUDENT(selftest_answer)() != 42) ::_exit(99);
}

void expect_deadlock(const sandbox::result& r, const std::string& words) {
  INFO(r.story());
  REQUIRE(r.how == sandbox::ending::deadlocked);
  CHECK(r.story().find(words) != std::string::npos);
  CHECK(r.detail.find("```text\n") != std::string::npos);
  CHECK(r.detail.find("cycle: ") != std::string::npos);
}

void expect_returned(const sandbox::result& r, long value) {
  INFO(r.story());
  REQUIRE(r.how == sandbox::ending::returned);
  CHECK(r.value == value);
}

}  // namespace

TEST_CASE("pipe: a child reads a pipe whose write end its waiting parent keeps", "[pipe]") {
  auto r = sandbox::call([](sandbox::child&) -> long {
    module_loaded();
    int p[2];
    if (::pipe(p) != 0) return -1;
    return fork_and_wait([&] {
      char c;
      return static_cast<int>(::read(p[0], &c, 1));
    });
  }, kLimits);
  expect_deadlock(r, "whose write end is still open in process");
}

TEST_CASE("pipe: a reader polling with a timeout is left alone", "[pipe]") {
  auto r = sandbox::call([](sandbox::child&) -> long {
    module_loaded();
    int p[2];
    if (::pipe(p) != 0) return -1;
    return fork_and_wait([&] {
      pollfd in{p[0], POLLIN, 0};
      return ::poll(&in, 1, kWaitMs);  // 0: timed out
    });
  }, kLimits);
  expect_returned(r, 0);
}

TEST_CASE("pipe: waits on a pipe the checker feeds or drains are not deadlocks", "[pipe]") {
  std::string data(1 << 20, 'x');
  sandbox::input_pipe in(data);
  sandbox::output_pipe out;
  auto r = sandbox::call([&](sandbox::child&) -> long {
    module_loaded();
    return fork_and_wait([&] {
      char buf[4096];
      std::size_t total = 0;
      for (ssize_t n; (n = ::read(in.fd(), buf, sizeof buf)) > 0;) {
        total += static_cast<std::size_t>(n);
        if (::write(out.fd(), buf, static_cast<std::size_t>(n)) != n) return 2;
      }
      return total == (1u << 20) ? 0 : 1;
    });
  }, kLimits, {in, out});
  expect_returned(r, 0);
  CHECK(out.data().size() == data.size());
}

TEST_CASE("child: a parent waits for a child that waits for a signal nobody sends", "[child]") {
  auto r = sandbox::call([](sandbox::child&) -> long {
    module_loaded();
    return fork_and_wait([] { return ::pause(); });
  }, kLimits);
  expect_deadlock(r, "waits for a child that never ends");
}

TEST_CASE("child: a parent waiting for a sleeping child is left alone", "[child]") {
  auto r = sandbox::call([](sandbox::child&) -> long {
    module_loaded();
    return fork_and_wait([] {
      pause_ms(kWaitMs);
      return 5;
    });
  }, kLimits);
  expect_returned(r, 5);
}

TEST_CASE("FIFO open: opening a FIFO nobody will open for writing", "[fifo]") {
  auto r = sandbox::call([](sandbox::child&) -> long {
    module_loaded();
    if (::mkfifo("/tmp/selftest.fifo", 0600) != 0) return -1;
    return ::open("/tmp/selftest.fifo", O_RDONLY);
  }, kLimits);
  expect_deadlock(r, "is blocked in open()");
}

TEST_CASE("FIFO open: waiting for a writer that opens late is left alone", "[fifo]") {
  auto r = sandbox::call([](sandbox::child&) -> long {
    module_loaded();
    const char* path = "/tmp/selftest-late.fifo";
    if (::mkfifo(path, 0600) != 0) return -1;
    pid_t writer = ::fork();
    if (writer == 0) {
      pause_ms(kWaitMs);
      ::_exit(::open(path, O_WRONLY) < 0);
    }
    int fd = ::open(path, O_RDONLY);
    ::waitpid(writer, nullptr, 0);
    ::unlink(path);
    return fd >= 0 ? ::close(fd) : -1;
  }, kLimits);
  expect_returned(r, 0);
}

TEST_CASE("msgrcv: waiting for a message nobody sends", "[msg]") {
  auto r = sandbox::call([](sandbox::child&) -> long {
    module_loaded();
    int q = ::msgget(IPC_PRIVATE, 0600);
    struct {
      long type;
      char text[8];
    } m{};
    return ::msgrcv(q, &m, sizeof m.text, 0, 0);
  }, kLimits);
  expect_deadlock(r, "msgrcv()");
}

TEST_CASE("msgrcv: waiting for a sender that is merely slow is left alone", "[msg]") {
  auto r = sandbox::call([](sandbox::child&) -> long {
    module_loaded();
    int q = ::msgget(IPC_PRIVATE, 0600);
    struct {
      long type;
      char text[8];
    } m{1, "hi"};
    pid_t sender = ::fork();
    if (sender == 0) {
      pause_ms(kWaitMs);
      ::_exit(::msgsnd(q, &m, sizeof m.text, 0) != 0);
    }
    long got = ::msgrcv(q, &m, sizeof m.text, 0, 0);
    ::waitpid(sender, nullptr, 0);
    ::msgctl(q, IPC_RMID, nullptr);
    return got;
  }, kLimits);
  expect_returned(r, 8);
}

TEST_CASE("semop: taking a semaphore nobody releases", "[semop]") {
  auto r = sandbox::call([](sandbox::child&) -> long {
    module_loaded();
    int s = ::semget(IPC_PRIVATE, 1, 0600);
    sembuf take{0, -1, 0};
    return ::semop(s, &take, 1);
  }, kLimits);
  expect_deadlock(r, "semop()");
}

TEST_CASE("semop: semtimedop with a timeout is left alone", "[semop]") {
  auto r = sandbox::call([](sandbox::child&) -> long {
    module_loaded();
    int s = ::semget(IPC_PRIVATE, 1, 0600);
    sembuf take{0, -1, 0};
    timespec limit = relative(kWaitMs);
    long got = ::semtimedop(s, &take, 1, &limit) == -1 && errno == EAGAIN ? 1 : 0;
    ::semctl(s, 0, IPC_RMID);
    return got;
  }, kLimits);
  expect_returned(r, 1);
}

TEST_CASE("sem_wait: two processes each wait on a POSIX semaphore the other should post", "[sem_wait]") {
  auto r = sandbox::call([](sandbox::child&) -> long {
    module_loaded();
    void* mem = ::mmap(nullptr, 2 * sizeof(sem_t), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    auto* sems = static_cast<sem_t*>(mem);
    ::sem_init(&sems[0], 1, 0);
    ::sem_init(&sems[1], 1, 0);
    pid_t other = ::fork();
    if (other == 0) {
      ::sem_wait(&sems[1]);  // before posting sems[0]: the classic wrong order
      ::sem_post(&sems[0]);
      ::_exit(0);
    }
    ::sem_wait(&sems[0]);
    ::sem_post(&sems[1]);
    return ::waitpid(other, nullptr, 0) == other ? 0 : -1;
  }, kLimits);
  expect_deadlock(r, "futex");
}

TEST_CASE("sem_wait: sem_timedwait with a timeout is left alone", "[sem_wait]") {
  auto r = sandbox::call([](sandbox::child&) -> long {
    module_loaded();
    sem_t s;
    ::sem_init(&s, 0, 0);
    timespec until = absolute(kWaitMs);
    int got = ::sem_timedwait(&s, &until);
    return got == -1 && errno == ETIMEDOUT ? 1 : 0;
  }, kLimits);
  expect_returned(r, 1);
}

namespace {

struct waiting_room {
  pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
  pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
  bool ready = false;
  bool timed = false;
  int outcome = 0;
};

void* wait_for_ready(void* arg) {
  auto* room = static_cast<waiting_room*>(arg);
  pthread_mutex_lock(&room->lock);
  timespec until = absolute(kWaitMs);
  while (!room->ready && room->outcome == 0) {
    if (room->timed) room->outcome = pthread_cond_timedwait(&room->changed, &room->lock, &until);
    else pthread_cond_wait(&room->changed, &room->lock);
  }
  pthread_mutex_unlock(&room->lock);
  return nullptr;
}

long join_waiter(bool timed) {
  module_loaded();
  waiting_room room;
  room.timed = timed;
  pthread_t t;
  if (pthread_create(&t, nullptr, wait_for_ready, &room) != 0) return -1;
  pthread_join(t, nullptr);  // nobody ever sets ready
  return room.outcome == ETIMEDOUT ? 1 : 0;
}

}  // namespace

TEST_CASE("futex: a thread waits on a condition nobody signals while main joins it", "[futex]") {
  auto r = sandbox::call([](sandbox::child&) -> long { return join_waiter(false); }, kLimits);
  expect_deadlock(r, "futex");
}

TEST_CASE("futex: pthread_cond_timedwait is left alone", "[futex]") {
  auto r = sandbox::call([](sandbox::child&) -> long { return join_waiter(true); }, kLimits);
  expect_returned(r, 1);
}

namespace {

long receive_from_child_socket(bool timed) {
  module_loaded();
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) return -1;
  return fork_and_wait([&] {
    if (timed) {
      timeval limit{kWaitMs / 1000, (kWaitMs % 1000) * 1000};
      ::setsockopt(sv[1], SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
    }
    char c;
    ssize_t n = ::recv(sv[1], &c, 1, 0);
    return n == -1 && errno == EAGAIN ? 1 : 0;
  });
}

}  // namespace

TEST_CASE("socket recv: a child receives from a socket whose other end its waiting parent holds", "[socket]") {
  auto r = sandbox::call([](sandbox::child&) -> long { return receive_from_child_socket(false); }, kLimits);
  expect_deadlock(r, "receive from a socket");
}

TEST_CASE("socket recv: a receive with SO_RCVTIMEO is left alone", "[socket]") {
  auto r = sandbox::call([](sandbox::child&) -> long { return receive_from_child_socket(true); }, kLimits);
  expect_returned(r, 1);
}

TEST_CASE("an endless CPU loop is no deadlock: it keeps the wall limit", "[cpu]") {
  auto r = sandbox::call([](sandbox::child&) -> long {
    module_loaded();
    for (;;) asm volatile("" ::: "memory");  // spins: nothing to optimise away
  }, {.wall = 1500ms});
  INFO(r.story());
  CHECK(r.how == sandbox::ending::timed_out);
}
