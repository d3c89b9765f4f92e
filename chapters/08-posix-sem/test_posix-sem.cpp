// Chapter 08 — POSIX semaphores: the graded tests. Each TEST_CASE carries its points.
#include <dirent.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "ipclab/asleep.hpp"
#include "ipclab/children.hpp"
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

using ipclab::children::ended;
using ipclab::children::reap;

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

/// Inside a call: the lock the interrupt's handler releases (see interrupted_lock()).
slock* held_lock = nullptr;
void release_held_lock() { STUDENT(s_unlock)(held_lock); }

/// Runs @p take (s_lock or s_timedlock) on a lock the call holds, and
/// interrupts it once it sleeps in futex(); the handler (no SA_RESTART)
/// releases the lock, so a take that retries after EINTR gets it.
sandbox::result interrupted_lock(int (*take)(slock*)) {
  sandbox::limits lim{.wall = 5s};
  lim.interrupt.syscalls = {SYS_futex};
  return sandbox::call(
      [take](sandbox::child&) -> long {
        held_lock = STUDENT(s_alloc)();
        if (held_lock == nullptr || STUDENT(s_lock)(held_lock) < 0) return -2;
        sandbox::interruptible(release_held_lock);
        errno = 0;
        long rc = take(held_lock);
        int err = errno;
        STUDENT(s_unlock)(held_lock);
        STUDENT(s_free)(held_lock);
        errno = err;
        return rc;
      },
      lim);
}

/// Inside a call: the first aligned long equal to @p v in the mapping that
/// holds @p inside, or nullptr.
long* find_word(const void* inside, long v) {
  auto at = reinterpret_cast<unsigned long>(inside);
  std::ifstream maps("/proc/self/maps");
  for (std::string line; std::getline(maps, line);) {
    std::istringstream in(line);
    unsigned long lo = 0, hi = 0;
    char dash = 0;
    in >> std::hex >> lo >> dash >> hi;
    if (lo <= at && at < hi)
      for (auto* w = reinterpret_cast<long*>(lo); w < reinterpret_cast<long*>(hi); ++w)
        if (*w == v) return w;
  }
  return nullptr;
}

/// The page a producer or consumer is parked on (see parked()), and its two channels.
char* parked_page = nullptr;
int parked_notify = -1, parked_release = -1;

void on_parked_fault(int, siginfo_t* si, void*) {
  auto* at = static_cast<char*>(si->si_addr);
  long page = sysconf(_SC_PAGESIZE);
  if (at < parked_page || at >= parked_page + page) _exit(9);
  char ch = 'f';
  if (write(parked_notify, &ch, 1) != 1 || read(parked_release, &ch, 1) != 1) _exit(8);
  mprotect(parked_page, static_cast<size_t>(page), PROT_READ | PROT_WRITE);  // the access is retried
}

/// Inside a call: walks @p b (of BBUF_MAX places) to the middle of its ring
/// and returns where its next item will go (found by two marker items), or
/// nullptr when the ring is not an array of longs in the mapping.
long* middle_slot(bbuf* b) {
  constexpr long m1 = 0x3a3a3a3a03L, m2 = 0x4b4b4b4b04L;
  long v = 0;
  for (int i = 0; i < BBUF_MAX / 2 - 2; ++i)
    if (STUDENT(bbuf_put)(b, 0) < 0 || STUDENT(bbuf_get)(b, &v) < 0) return nullptr;
  if (STUDENT(bbuf_put)(b, m1) < 0 || STUDENT(bbuf_put)(b, m2) < 0) return nullptr;
  long* a1 = find_word(b, m1);
  long* a2 = find_word(b, m2);
  STUDENT(bbuf_get)(b, &v);
  STUDENT(bbuf_get)(b, &v);
  return a1 != nullptr && a2 == a1 + 1 ? a2 + 1 : nullptr;
}

/// Inside a call: forks a process for which the page of @p slot is
/// read-only (a put) or inaccessible (a get): its access to the slot faults,
/// parking it inside bbuf_put(@p item) or bbuf_get, after it chose the slot
/// and before it used it, until a byte arrives on @p release. It writes 'f'
/// to @p notify when parked, and a get then writes the item it got.
pid_t parked(bbuf* b, bool put, long item, long* slot, int notify, int release) {
  pid_t pid = fork();
  if (pid != 0) return pid;
  long page = sysconf(_SC_PAGESIZE);
  parked_page = reinterpret_cast<char*>(reinterpret_cast<unsigned long>(slot) & ~static_cast<unsigned long>(page - 1));
  parked_notify = notify;
  parked_release = release;
  struct sigaction sa {};
  sa.sa_sigaction = on_parked_fault;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGSEGV, &sa, nullptr);
  mprotect(parked_page, static_cast<size_t>(page), put ? PROT_READ : PROT_NONE);
  if (put) _exit(STUDENT(bbuf_put)(b, item) == 0 ? 0 : 1);
  long got = -1;
  int rc = STUDENT(bbuf_get)(b, &got);
  _exit(rc == 0 && write(notify, &got, sizeof got) == sizeof got ? 0 : 1);
}

/// The first of two producers or consumers, parked by parked() inside the
/// student's call.
struct first_one {
  pid_t pid = -1;       ///< -1: not parked (an unusual ring: the test is then not forced)
  int notify = -1;      ///< the test's end: 'f' arrives once parked (a get then sends its item)
  int release = -1;     ///< the test's end: a byte here lets it go on
  bool forced = false;  ///< it is parked inside the call now
};

/// Inside a call: parks a producer (@p put, of @p item) or a consumer of
/// @p b at @p slot (see parked(); none when @p slot is null) and waits until
/// it is parked. notify is -1 when its channels could not be made.
first_one park_first(bbuf* b, bool put, long item, long* slot) {
  first_one f;
  int notify[2], release[2];
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, notify) < 0) return f;
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, release) < 0) {
    close(notify[0]);
    close(notify[1]);
    return f;
  }
  f.pid = slot != nullptr ? parked(b, put, item, slot, notify[1], release[0]) : -1;
  close(notify[1]);
  close(release[0]);
  f.notify = notify[0];
  f.release = release[1];
  char ch = 0;
  f.forced = f.pid > 0 && read(f.notify, &ch, 1) == 1;
  return f;
}

/// "the first item" or "the second item" when @p x is @p first or @p second, else @p x.
std::string which_item(long x, long first, long second) {
  return x == first ? "the first item" : x == second ? "the second item" : std::to_string(x);
}

/// The verdict of a test whose call ends with s_free or bbuf_destroy and
/// reports two steps: it returned 0 after @p setup; it sent @p first (else
/// @p why_first), then @p second (else @p why_second); nothing is left.
void expect_two(const sandbox::result& r, const std::string& setup, const std::string& first,
                const std::string& why_first, const std::string& second, const std::string& why_second) {
  expect::returned_value(r, 0, setup);
  REQUIRE(r.messages.size() == 2);
  expect::equal(r.messages[0], first, why_first);
  expect::equal(r.messages[1], second, why_second);
  expect::clean(r);
}

/// Inside a call: a buffer of one place (empty, or full when @p full), a
/// process that waits in it (a get, or a put when @p full), then another
/// process that should wake it (a put, or a get). How it ended.
std::string wake_across(bool full) {
  bbuf* b = STUDENT(bbuf_create)(1);
  if (b == nullptr || (full && STUDENT(bbuf_put)(b, 7) < 0)) return "bbuf_create or bbuf_put failed";
  auto act = [b](bool put) {
    pid_t pid = fork();
    long v = 0;
    if (pid == 0) _exit((put ? STUDENT(bbuf_put)(b, 8) : STUDENT(bbuf_get)(b, &v)) == 0 ? 0 : 1);
    return pid;
  };
  pid_t waiter = act(full);
  ipclab::asleep::wait_all({waiter});
  pid_t waker = act(!full);
  auto stuck = ipclab::asleep::settle({waiter, waker});
  for (pid_t p : stuck) kill(p, SIGKILL);
  for (pid_t p : stuck) waitpid(p, nullptr, 0);
  STUDENT(bbuf_destroy)(b);
  if (stuck.empty()) return "both finished";
  if (stuck.size() == 2) return "both sleep";
  return stuck[0] == waiter ? "the waiter slept on" : "the waker slept";
}

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
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, p) < 0) return -1;
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
    c.send("child " + ended(pid));
    return STUDENT(s_free)(sp) < 0 ? -1 : rc;
  });
  expect_two(r, "s_alloc(), s_lock(), fork, s_unlock(), then s_free()", "-1 EAGAIN",
             "the child inherits the open semaphore across fork(): its s_trylock must see the parent's hold",
             "child exited with 0", "the child's s_lock must succeed once the parent unlocks");
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
  expect_two(r, "s_alloc(), four children locking, then s_free()", "failed children 0",
             "every s_lock and s_unlock in the children must succeed", "counter " + std::to_string(procs * rounds),
             "increments were lost: two processes were inside the lock at once (is the semaphore's "
             "initial value 1, and is it the one semaphore every process opened?)");
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
  expect_two(r, "s_alloc(), s_lock(), s_timedlock(sp, 100), then s_free()", "-1 ETIMEDOUT",
             "s_timedlock(sp, 100) on a held lock must fail with ETIMEDOUT", "on time",
             "it must wait about 100 ms: sem_timedwait takes an absolute CLOCK_REALTIME deadline, "
             "now + timeout, with tv_nsec below 1000000000");
}

TEST_CASE("s_timedlock takes a free lock, and one another process releases in time", "[slock][timed][pts=2]") {
  auto r = sandbox::call(
      [](sandbox::child& c) -> long {
        slock* sp = STUDENT(s_alloc)();
        if (sp == nullptr) return -1;
        errno = 0;
        c.send(result_text(STUDENT(s_timedlock)(sp, 1000)));  // free: at once
        int p[2];
        if (socketpair(AF_UNIX, SOCK_STREAM, 0, p) < 0) return -1;
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
        c.send("child " + ended(pid));
        return STUDENT(s_free)(sp) < 0 ? -1 : rc;
      },
      {.wall = 8s});
  expect::returned_value(r, 0, "s_alloc(), s_timedlock(), fork, s_unlock(), then s_free()");
  REQUIRE(r.messages.size() == 2);
  expect::equal(r.messages[0].substr(0, 2), "0 ", "s_timedlock(sp, 1000) on a free lock: " + r.messages[0]);
  expect::equal(r.messages[1], "child exited with 0", "the child's s_timedlock(sp, 5000) must succeed when the parent unlocks");
  expect::clean(r);
}

TEST_CASE("s_lock and s_timedlock go on waiting when a signal interrupts them (EINTR)", "[slock][eintr][pts=2]") {
  struct {
    const char* name;
    int (*take)(slock*);
  } takes[] = {{"s_lock", [](slock* sp) { return STUDENT(s_lock)(sp); }},
               {"s_timedlock", [](slock* sp) { return STUDENT(s_timedlock)(sp, 4000); }}};
  for (const auto& t : takes) {
    INFO(t.name << " on a held lock; a signal (handler without SA_RESTART) interrupts its sem_wait, and "
                   "the handler releases the lock");
    auto r = interrupted_lock(t.take);
    if (!r.interrupted)
      FAIL(t.name << " never slept in futex() (sem_wait) on the held lock, so the test could not interrupt "
                     "it; it " << r.story());
    expect::returned(r);
    if (r.value == -1 && r.error == EINTR)
      FAIL(t.name << " returned -1 with EINTR: a signal interrupted sem_wait()/sem_timedwait(), which "
                     "never restart by themselves; call them again while they fail with EINTR (APUE 10.5)");
    expect::returned_value(r, 0, std::string(t.name) + " once the handler released the lock");
    expect::clean(r);
  }
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
        c.send("child " + ended(pid));
        return STUDENT(bbuf_destroy)(b);
      },
      {.wall = 15s});
  expect::returned_value(r, 0, "bbuf_create(8), 20000 gets, then bbuf_destroy");
  REQUIRE(r.messages.size() == 1);
  expect::equal(r.messages[0], "child exited with 0",
                "the child puts 0, 1, 2, ... through a buffer of 8; the parent must get them in that order: "
                "a put waits for a free place, a get for an item");
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
  expect_two(r, "bbuf_create(16), five children, then bbuf_destroy", "failed children 0",
             "every bbuf_put and bbuf_get in the children must succeed", "missing 0, twice 0, out of order 0",
             "with several producers and consumers the indices need their own lock (a third semaphore "
             "of value 1), taken after waiting for a place or an item, never before");
}

TEST_CASE("bbuf: a producer parked inside bbuf_put holds back the next one", "[bbuf][fork][guard][pts=3]") {
  auto r = sandbox::call(
      [](sandbox::child& c) -> long {
        constexpr long first = 0x1f1f1f1f01L, second = 0x2e2e2e2e02L;
        bbuf* b = STUDENT(bbuf_create)(BBUF_MAX);
        if (b == nullptr) return -1;
        first_one p1 = park_first(b, true, first, middle_slot(b));
        if (p1.notify < 0) return -1;
        if (p1.pid < 0 && STUDENT(bbuf_put)(b, first) < 0) return -1;  // an unusual ring: not forced
        pid_t p2 = fork();
        if (p2 == 0) _exit(STUDENT(bbuf_put)(b, second) == 0 ? 0 : 1);
        if (p1.forced)
          c.send(ipclab::asleep::settle({p2}).empty()
                     ? "the second put went through while the first was inside bbuf_put"
                     : "the second put waited");
        else
          c.send("the second put waited");  // nothing parked: not forced
        if (write(p1.release, "g", 1) != 1) return -1;
        close(p1.release);
        close(p1.notify);
        for (pid_t p : {p1.pid, p2})
          if (p > 0) waitpid(p, nullptr, 0);
        long got[2] = {-1, -1};
        for (long& g : got) STUDENT(bbuf_get)(b, &g);
        c.send("got " + which_item(got[0], first, second) + ", then " + which_item(got[1], first, second));
        return STUDENT(bbuf_destroy)(b);
      },
      {.wall = 10s});
  expect_two(r, "bbuf_create(BBUF_MAX), two producers, two gets, then bbuf_destroy", "the second put waited",
             "the first producer was stopped inside bbuf_put, after it had read the tail index and "
             "before its item was stored; a second producer must then wait. Several producers share "
             "the tail: guard it with the third semaphore (value 1), taken after waiting for a free "
             "place and released after the tail moved on",
             "got the first item, then the second item",
             "both items, each once, in the order the producers entered: an item was overwritten or "
             "lost when both producers used the same tail");
}

TEST_CASE("bbuf: a consumer parked inside bbuf_get holds back the next one", "[bbuf][fork][guard][pts=2]") {
  auto r = sandbox::call(
      [](sandbox::child& c) -> long {
        constexpr long first = 0x5c5c5c5c05L, second = 0x6d6d6d6d06L;
        bbuf* b = STUDENT(bbuf_create)(BBUF_MAX);
        int rep[2];
        if (b == nullptr || socketpair(AF_UNIX, SOCK_STREAM, 0, rep) < 0) return -1;
        long* next = middle_slot(b);
        if (STUDENT(bbuf_put)(b, first) < 0 || STUDENT(bbuf_put)(b, second) < 0) return -1;
        long got[2] = {-1, -1};
        first_one c1 = park_first(b, false, 0, next);
        if (c1.notify < 0) return -1;
        if (c1.pid < 0) STUDENT(bbuf_get)(b, &got[0]);  // an unusual ring: not forced
        pid_t c2 = fork();
        if (c2 == 0) {
          long v = -1;
          _exit(STUDENT(bbuf_get)(b, &v) == 0 && write(rep[1], &v, sizeof v) == sizeof v ? 0 : 1);
        }
        close(rep[1]);
        c.send(c1.forced && ipclab::asleep::settle({c2}).empty()
                   ? "the second get went through while the first was inside bbuf_get"
                   : "the second get waited");
        if (write(c1.release, "g", 1) != 1) return -1;
        close(c1.release);
        if (c1.pid > 0) (void)!read(c1.notify, &got[0], sizeof got[0]);
        (void)!read(rep[0], &got[1], sizeof got[1]);
        for (pid_t p : {c1.pid, c2})
          if (p > 0) waitpid(p, nullptr, 0);
        close(c1.notify);
        close(rep[0]);
        c.send("the first consumer got " + which_item(got[0], first, second) + ", the second " +
               which_item(got[1], first, second));
        return STUDENT(bbuf_destroy)(b);
      },
      {.wall = 10s});
  expect_two(r, "bbuf_create(BBUF_MAX), two consumers, then bbuf_destroy", "the second get waited",
             "the first consumer was stopped inside bbuf_get, after it had read the head index and "
             "before it had taken its item; a second consumer must then wait. Several consumers share "
             "the head: guard it with the third semaphore (value 1), taken after waiting for an item "
             "and released after the head moved on",
             "the first consumer got the first item, the second the second item",
             "each item comes out exactly once: two consumers that read the same head take the same item");
}

TEST_CASE("bbuf: a get or put waiting in one process is woken by another process", "[bbuf][fork][pshared][pts=2]") {
  auto r = sandbox::call(
      [](sandbox::child& c) -> long {
        c.send("get: " + wake_across(false));
        c.send("put: " + wake_across(true));
        return 0;
      },
      {.wall = 10s});
  expect::returned(r);
  REQUIRE(r.messages.size() == 2);
  const char* what[] = {"a get sleeps on an empty buffer of one place, then another process puts",
                        "a put sleeps on a full buffer of one place, then another process gets"};
  for (int i = 0; i < 2; ++i) {
    const auto& m = r.messages[i];
    std::string why = m.find("slept on") != std::string::npos
                          ? ": the waker finished, but the waiter in the other process never woke. Semaphores "
                            "shared between processes need sem_init(sem, 1, value): with pshared = 0 a post "
                            "wakes only waiters of the same process"
                      : m.find("both sleep") != std::string::npos
                          ? ": both processes sleep. The waiter holds the index lock while it waits for an "
                            "item or a free place, and the waker waits for that lock: wait for the item or "
                            "place first, and only then take the lock"
                          : ": both calls must finish";
    expect::equal(m.substr(m.find(' ') + 1), "both finished", what[i] + why);
  }
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
