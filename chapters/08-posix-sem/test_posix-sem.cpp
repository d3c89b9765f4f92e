// Chapter 08 — POSIX semaphores: the graded tests. Each TEST_CASE carries its points.
#include <dirent.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "ipclab/die.hpp"
#include "ipclab/expect.hpp"
#include "ipclab/sandbox.hpp"
#include "posix-sem.hpp"

namespace sandbox = ipclab::sandbox;
namespace expect = ipclab::expect;
using namespace std::chrono_literals;

namespace {

/// Inside a call: how many named semaphores /dev/shm holds.
int named_semaphores() {
  DIR* dir = opendir("/dev/shm");
  if (dir == nullptr) return -1;
  int n = 0;
  while (dirent* e = readdir(dir)) n += std::string(e->d_name).rfind("sem.", 0) == 0;
  closedir(dir);
  return n;
}

/// Inside a call: how many lines of /proc/self/maps contain @p what.
int mappings_of(const std::string& what) {
  std::ifstream maps("/proc/self/maps");
  int n = 0;
  for (std::string line; std::getline(maps, line);) n += line.find(what) != std::string::npos;
  return n;
}

/// Inside a call: waits for @p pid; its exit code, or -1 when it did not exit.
int reap(pid_t pid) {
  int st = 0;
  if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st)) return -1;
  return WEXITSTATUS(st);
}

/// Inside a call: memory a child's stores are seen through (for counters).
template <class T>
T* shared_array(std::size_t n) {
  void* p = mmap(nullptr, n * sizeof(T), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  return p == MAP_FAILED ? nullptr : static_cast<T*>(p);
}

std::string result_text(long rc) { return std::to_string(rc) + " " + ipclab::errno_name(errno); }

/// Inside a call: sends "<rc> <errno name>" for each result it is given,
/// clearing errno before the next call.
class reporter {
public:
  explicit reporter(sandbox::child& c) : c_(c) { errno = 0; }
  void operator()(long rc) {
    c_.send(result_text(rc));
    errno = 0;
  }

private:
  sandbox::child& c_;
};

}  // namespace

TEST_CASE("s_alloc unlinks the semaphore's name at once; s_free closes it", "[slock][names][pts=2]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    slock* sp = STUDENT(s_alloc)();
    if (sp == nullptr) return -1;
    c.send(std::to_string(named_semaphores()));
    c.send(std::to_string(mappings_of("/dev/shm/sem.")));
    long rc = STUDENT(s_free)(sp);
    c.send(std::to_string(mappings_of("/dev/shm/sem.")));
    return rc;
  });
  expect::returned_value(r, 0, "s_alloc() then s_free()");
  REQUIRE(r.messages.size() == 3);
  expect::equal(r.messages[0], "0",
                "named semaphores in /dev/shm right after s_alloc(): sem_unlink the name as soon as "
                "sem_open has returned (APUE 15.10, figure 15.35)");
  expect::equal(r.messages[1], "1", "an slock is one named semaphore, opened with sem_open (mapped from /dev/shm)");
  expect::equal(r.messages[2], "0", "the semaphore is still open after s_free(): call sem_close()");
  expect::clean(r);
}

TEST_CASE("s_trylock fails with EAGAIN while the lock is held; two locks are independent",
          "[slock][pts=2]") {
  auto r = sandbox::call(
      [](sandbox::child& c) -> long {
        slock* a = STUDENT(s_alloc)();
        slock* b = a == nullptr ? nullptr : STUDENT(s_alloc)();
        if (b == nullptr) return -1;
        reporter step(c);
        step(STUDENT(s_trylock)(a));  // free: 0
        step(STUDENT(s_trylock)(a));  // held: EAGAIN
        step(STUDENT(s_trylock)(b));  // another lock: 0
        step(STUDENT(s_unlock)(a));
        step(STUDENT(s_lock)(a));     // free again: 0
        step(STUDENT(s_unlock)(a));
        step(STUDENT(s_unlock)(b));
        long rc = STUDENT(s_free)(a);
        return STUDENT(s_free)(b) < 0 ? -1 : rc;
      },
      {.wall = 3s});
  expect::returned_value(r, 0, "two s_alloc(), the lock calls, then two s_free()");
  REQUIRE(r.messages.size() == 7);
  const char* what[] = {"s_trylock on a free lock",         "s_trylock on the lock just taken",
                        "s_trylock on a second, free lock", "s_unlock",
                        "s_lock after the unlock",          "s_unlock",
                        "s_unlock of the second lock"};
  for (int i = 0; i < 7; ++i)
    expect::equal(r.messages[i].substr(0, 2), i == 1 ? "-1" : "0 ", std::string(what[i]) + ": " + r.messages[i]);
  expect::equal(r.messages[1], "-1 EAGAIN", "sem_trywait on a semaphore at 0 fails with EAGAIN");
  expect::clean(r);
}

TEST_CASE("a lock held by the parent makes the child's s_trylock fail with EAGAIN", "[slock][fork][pts=2]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    slock* sp = STUDENT(s_alloc)();
    if (sp == nullptr || STUDENT(s_lock)(sp) < 0) return -1;
    int p[2];
    if (pipe(p) < 0) return -1;
    pid_t pid = fork();
    if (pid == 0) {
      errno = 0;
      std::string tried = result_text(STUDENT(s_trylock)(sp));
      if (write(p[1], tried.data(), tried.size()) < 0) _exit(2);
      _exit(STUDENT(s_lock)(sp) == 0 && STUDENT(s_unlock)(sp) == 0 ? 0 : 1);  // waits for the parent
    }
    close(p[1]);
    char buf[64] = {};
    ssize_t n = read(p[0], buf, sizeof buf - 1);
    close(p[0]);
    c.send(n > 0 ? buf : "nothing");
    long rc = STUDENT(s_unlock)(sp);
    c.send("child " + std::to_string(reap(pid)));
    return STUDENT(s_free)(sp) < 0 ? -1 : rc;
  });
  expect::returned_value(r, 0, "s_alloc(), s_lock(), fork, s_unlock(), then s_free()");
  REQUIRE(r.messages.size() == 2);
  expect::equal(r.messages[0], "-1 EAGAIN",
                "the child inherits the open semaphore across fork(): its s_trylock must see the parent's hold");
  expect::equal(r.messages[1], "child 0", "the child's s_lock must succeed once the parent unlocks");
  expect::clean(r);
}

TEST_CASE("mutual exclusion: 4 processes x 2000 locked increments lose nothing", "[slock][fork][pts=3]") {
  constexpr int procs = 4, rounds = 2000;
  auto r = sandbox::call(
      [](sandbox::child& c) -> long {
        long* counter = shared_array<long>(1);
        slock* sp = STUDENT(s_alloc)();
        if (counter == nullptr || sp == nullptr) return -1;
        std::vector<pid_t> kids;
        for (int k = 0; k < procs; ++k) {
          pid_t pid = fork();
          if (pid == 0) {
            for (int i = 0; i < rounds; ++i) {
              if (STUDENT(s_lock)(sp) < 0) _exit(1);
              long v = *counter;
              sched_yield();  // invites another process into the critical section
              *counter = v + 1;
              if (STUDENT(s_unlock)(sp) < 0) _exit(2);
            }
            _exit(0);
          }
          kids.push_back(pid);
        }
        int failed = 0;
        for (pid_t pid : kids) failed += reap(pid) != 0;
        c.send("failed children " + std::to_string(failed));
        c.send("counter " + std::to_string(*counter));
        return STUDENT(s_free)(sp);
      },
      {.wall = 10s});
  expect::returned_value(r, 0, "s_alloc(), four children locking, then s_free()");
  REQUIRE(r.messages.size() == 2);
  expect::equal(r.messages[0], "failed children 0", "every s_lock and s_unlock in the children must succeed");
  expect::equal(r.messages[1], "counter " + std::to_string(procs * rounds),
                "increments were lost: two processes were inside the lock at once (is the semaphore's "
                "initial value 1, and is it the one semaphore every process opened?)");
  expect::clean(r);
}

TEST_CASE("s_timedlock gives up with ETIMEDOUT once the timeout has passed", "[slock][timed][pts=2]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    slock* sp = STUDENT(s_alloc)();
    if (sp == nullptr || STUDENT(s_lock)(sp) < 0) return -1;
    auto start = std::chrono::steady_clock::now();
    errno = 0;
    long rc = STUDENT(s_timedlock)(sp, 100);
    int err = errno;
    auto waited = std::chrono::steady_clock::now() - start;
    c.send(std::to_string(rc) + " " + ipclab::errno_name(err));
    c.send(waited < 90ms ? "too early" : waited > 3s ? "too late" : "on time");
    STUDENT(s_unlock)(sp);
    return STUDENT(s_free)(sp);
  });
  expect::returned_value(r, 0, "s_alloc(), s_lock(), s_timedlock(sp, 100), then s_free()");
  REQUIRE(r.messages.size() == 2);
  expect::equal(r.messages[0], "-1 ETIMEDOUT", "s_timedlock(sp, 100) on a held lock must fail with ETIMEDOUT");
  expect::equal(r.messages[1], "on time",
                "it must wait about 100 ms: sem_timedwait takes an absolute CLOCK_REALTIME deadline, "
                "now + timeout, with tv_nsec below 1000000000");
  expect::clean(r);
}

TEST_CASE("s_timedlock takes a free lock, and one another process releases in time", "[slock][timed][pts=2]") {
  auto r = sandbox::call(
      [](sandbox::child& c) -> long {
        slock* sp = STUDENT(s_alloc)();
        if (sp == nullptr) return -1;
        errno = 0;
        c.send(result_text(STUDENT(s_timedlock)(sp, 1000)));  // free: at once
        int p[2];
        if (pipe(p) < 0) return -1;
        pid_t pid = fork();
        if (pid == 0) {
          if (write(p[1], "w", 1) != 1) _exit(2);
          _exit(STUDENT(s_timedlock)(sp, 5000) == 0 ? 0 : 1);  // waits for the parent's unlock
        }
        close(p[1]);
        char ch;
        bool ready = read(p[0], &ch, 1) == 1;
        close(p[0]);
        long rc = ready ? STUDENT(s_unlock)(sp) : -1;
        c.send("child " + std::to_string(reap(pid)));
        return STUDENT(s_free)(sp) < 0 ? -1 : rc;
      },
      {.wall = 8s});
  expect::returned_value(r, 0, "s_alloc(), s_timedlock(), fork, s_unlock(), then s_free()");
  REQUIRE(r.messages.size() == 2);
  expect::equal(r.messages[0].substr(0, 2), "0 ", "s_timedlock(sp, 1000) on a free lock: " + r.messages[0]);
  expect::equal(r.messages[1], "child 0", "the child's s_timedlock(sp, 5000) must succeed when the parent unlocks");
  expect::clean(r);
}

TEST_CASE("slock calls reject a null lock and a negative timeout with EINVAL", "[slock][errors][pts=1]") {
  auto r = sandbox::call(
      [](sandbox::child& c) -> long {
        reporter send(c);
        send(STUDENT(s_lock)(nullptr));
        send(STUDENT(s_trylock)(nullptr));
        send(STUDENT(s_timedlock)(nullptr, 10));
        send(STUDENT(s_unlock)(nullptr));
        send(STUDENT(s_free)(nullptr));
        slock* sp = STUDENT(s_alloc)();
        if (sp == nullptr) return -1;
        send(STUDENT(s_timedlock)(sp, -1));
        return STUDENT(s_free)(sp);
      },
      {.wall = 3s});
  expect::returned_value(r, 0, "s_alloc() and s_free() around the bad calls");
  REQUIRE(r.messages.size() == 6);
  const char* what[] = {"s_lock(nullptr)",   "s_trylock(nullptr)", "s_timedlock(nullptr, 10)",
                        "s_unlock(nullptr)", "s_free(nullptr)",    "s_timedlock(sp, -1)"};
  for (int i = 0; i < 6; ++i) expect::equal(r.messages[i], "-1 EINVAL", what[i]);
  expect::clean(r);
}

TEST_CASE("bbuf: items come out in the order they went in, and bbuf_count follows", "[bbuf][pts=2]") {
  auto r = sandbox::call(
      [](sandbox::child& c) -> long {
        int before = mappings_of("rw-s");
        bbuf* b = STUDENT(bbuf_create)(4);
        if (b == nullptr) return -1;
        std::string trace;
        auto put = [&](long v) { trace += STUDENT(bbuf_put)(b, v) == 0 ? "" : "put failed "; };
        auto get = [&] {
          long v = -1;
          trace += STUDENT(bbuf_get)(b, &v) == 0 ? std::to_string(v) + " " : "get failed ";
        };
        auto count = [&] { trace += "#" + std::to_string(STUDENT(bbuf_count)(b)) + " "; };
        put(10), put(20), put(30), count(), get(), count();
        put(40), put(50), count();  // full now
        get(), get(), get(), get(), count();
        c.send(trace);
        long rc = STUDENT(bbuf_destroy)(b);
        c.send(std::to_string(mappings_of("rw-s") - before));
        return rc;
      },
      {.wall = 3s});
  expect::returned_value(r, 0, "bbuf_create(4), puts and gets, then bbuf_destroy");
  REQUIRE(r.messages.size() == 2);
  expect::equal(r.messages[0], "#3 10 #2 #4 20 30 40 50 #0 ",
                "the trace: #n = bbuf_count(), a number = what bbuf_get returned; first in, first out, "
                "and the ring wraps around its 4 places");
  expect::equal(r.messages[1], "0", "shared mappings left after bbuf_destroy: munmap the whole region");
  INFO("unnamed semaphores (sem_init) create nothing in /dev/shm");
  expect::clean(r);
}

TEST_CASE("bbuf: a producer child and a consumer parent move 20000 items, each once and in order",
          "[bbuf][fork][pts=3]") {
  auto r = sandbox::call(
      [](sandbox::child& c) -> long {
        constexpr long items = 20000;
        bbuf* b = STUDENT(bbuf_create)(8);
        if (b == nullptr) return -1;
        pid_t pid = fork();
        if (pid == 0) {
          for (long i = 0; i < items; ++i)
            if (STUDENT(bbuf_put)(b, i) < 0) _exit(1);
          _exit(0);
        }
        for (long i = 0; i < items; ++i) {
          long v = -1;
          if (STUDENT(bbuf_get)(b, &v) < 0 || v != i) {
            c.send("get number " + std::to_string(i) + " gave " + std::to_string(v));
            kill(pid, SIGKILL);
            break;
          }
        }
        c.send("child " + std::to_string(reap(pid)));
        return STUDENT(bbuf_destroy)(b);
      },
      {.wall = 15s});
  INFO("the child puts 0, 1, 2, ... through a buffer of 8; the parent must get them in that order: a put "
       "waits for a free place, a get for an item, both in semaphores initialised with pshared = 1 "
       "inside the shared mapping");
  expect::returned_value(r, 0, "bbuf_create(8), 20000 gets, then bbuf_destroy");
  REQUIRE(r.messages.size() == 1);
  CHECK(r.messages[0] == "child 0");
  expect::clean(r);
}

TEST_CASE("bbuf: three producers and two consumers deliver every item exactly once", "[bbuf][fork][pts=3]") {
  auto r = sandbox::call(
      [](sandbox::child& c) -> long {
        constexpr int producers = 3, consumers = 2;
        constexpr long per = 20000, total = producers * per;
        bbuf* b = STUDENT(bbuf_create)(16);
        int* seen = shared_array<int>(total + 1);  // seen[total]: out-of-order deliveries
        if (b == nullptr || seen == nullptr) return -1;
        std::vector<pid_t> eaters, makers;
        for (int k = 0; k < consumers; ++k) {
          pid_t pid = fork();
          if (pid == 0) {
            long last[producers] = {-1, -1, -1};
            for (;;) {
              long v = -1;
              if (STUDENT(bbuf_get)(b, &v) < 0 || v >= total) _exit(1);
              if (v < 0) break;  // the stop item
              if (v % per <= last[v / per]) __atomic_add_fetch(&seen[total], 1, __ATOMIC_SEQ_CST);
              last[v / per] = v % per;
              __atomic_add_fetch(&seen[v], 1, __ATOMIC_SEQ_CST);
            }
            _exit(0);
          }
          eaters.push_back(pid);
        }
        for (int k = 0; k < producers; ++k) {
          pid_t pid = fork();
          if (pid == 0) {
            for (long i = 0; i < per; ++i)
              if (STUDENT(bbuf_put)(b, k * per + i) < 0) _exit(1);
            _exit(0);
          }
          makers.push_back(pid);
        }
        int failed = 0;
        for (pid_t pid : makers) failed += reap(pid) != 0;
        for (int k = 0; k < consumers; ++k) STUDENT(bbuf_put)(b, -1);  // one "stop" each
        for (pid_t pid : eaters) failed += reap(pid) != 0;
        long missing = 0, doubled = 0;
        for (long i = 0; i < total; ++i) missing += seen[i] == 0, doubled += seen[i] > 1;
        c.send("failed children " + std::to_string(failed));
        c.send("missing " + std::to_string(missing) + ", twice " + std::to_string(doubled) +
               ", out of order " + std::to_string(seen[total]));
        return STUDENT(bbuf_destroy)(b);
      },
      {.wall = 10s});
  expect::returned_value(r, 0, "bbuf_create(16), five children, then bbuf_destroy");
  REQUIRE(r.messages.size() == 2);
  expect::equal(r.messages[0], "failed children 0", "every bbuf_put and bbuf_get in the children must succeed");
  expect::equal(r.messages[1], "missing 0, twice 0, out of order 0",
                "with several producers and consumers the indices need their own lock (a third semaphore "
                "of value 1), taken after waiting for a place or an item, never before");
  expect::clean(r);
}

TEST_CASE("bbuf calls reject bad capacities and null pointers with EINVAL", "[bbuf][errors][pts=1]") {
  auto r = sandbox::call(
      [](sandbox::child& c) -> long {
        reporter send(c);
        send(STUDENT(bbuf_create)(0) == nullptr ? -1 : 0);
        send(STUDENT(bbuf_create)(BBUF_MAX + 1) == nullptr ? -1 : 0);
        send(STUDENT(bbuf_put)(nullptr, 1));
        long v = 0;
        send(STUDENT(bbuf_get)(nullptr, &v));
        send(STUDENT(bbuf_count)(nullptr));
        send(STUDENT(bbuf_destroy)(nullptr));
        bbuf* b = STUDENT(bbuf_create)(BBUF_MAX);
        if (b == nullptr) return -1;
        send(STUDENT(bbuf_get)(b, nullptr));
        return STUDENT(bbuf_destroy)(b);
      },
      {.wall = 3s});
  expect::returned_value(r, 0, "bbuf_create(BBUF_MAX) and bbuf_destroy around the bad calls");
  REQUIRE(r.messages.size() == 7);
  const char* what[] = {"bbuf_create(0)",         "bbuf_create(BBUF_MAX + 1)", "bbuf_put(nullptr, 1)",
                        "bbuf_get(nullptr, &v)",  "bbuf_count(nullptr)",       "bbuf_destroy(nullptr)",
                        "bbuf_get(b, nullptr)"};
  for (int i = 0; i < 7; ++i) expect::equal(r.messages[i], "-1 EINVAL", what[i]);
  expect::clean(r);
}
