// Chapter 05 — XSI semaphores: the graded tests. Each TEST_CASE carries its points.
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/sem.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "ipclab/asleep.hpp"
#include "ipclab/die.hpp"
#include "ipclab/expect.hpp"
#include "ipclab/observe.hpp"
#include "ipclab/sandbox.hpp"
#include "xsi-sem.hpp"

namespace sandbox = ipclab::sandbox;
namespace expect = ipclab::expect;
using namespace std::chrono_literals;

namespace {

// ---- helpers that run inside the call (trusted code around student calls) ----

/// A file in the call's /tmp whose ftok() keys are private to this call.
struct key_file {
  char path[32] = "/tmp/xsem-key.XXXXXX";
  key_file() {
    int fd = mkstemp(path);
    if (fd >= 0) close(fd);
  }
  ~key_file() { unlink(path); }
  key_t key(int project) const { return ftok(path, project); }
};

std::string errno_text(int rc) {
  return std::to_string(rc) + (rc < 0 ? std::string(" ") + ipclab::errno_name(errno) : "");
}

int value_of(int semid, int semnum = 0) { return semctl(semid, semnum, GETVAL); }

/// Waits (bounded by about two seconds, then gives up) until @p n processes
/// sleep in semop() waiting for semaphore 0 of @p semid to grow.
bool wait_for_sleepers(int semid, int n) {
  timespec start{}, now{};
  clock_gettime(CLOCK_MONOTONIC, &start);
  do {
    if (semctl(semid, 0, GETNCNT) == n) return true;
    sched_yield();
    clock_gettime(CLOCK_MONOTONIC, &now);
  } while (now.tv_sec - start.tv_sec < 2);
  return false;
}

/// A child process that takes lock 0 of a set with the student's xsem_lock
/// and then obeys one-byte commands: 'u' unlocks, end-of-file exits.
struct holder {
  pid_t pid = -1;
  int to = -1, from = -1;

  /// Forks the holder; returns its first reply: 'L' locked, 'E' lock failed.
  char start(int semid) {
    int down[2], up[2];
    if (pipe(down) < 0 || pipe(up) < 0) return '?';
    pid = fork();
    if (pid == 0) {
      close(down[1]);
      close(up[0]);
      char reply = STUDENT(xsem_lock)(semid, 0) == 0 ? 'L' : 'E';
      for (char cmd; write(up[1], &reply, 1) == 1 && read(down[0], &cmd, 1) == 1;)
        reply = STUDENT(xsem_unlock)(semid, 0) == 0 ? 'U' : 'E';
      _exit(0);
    }
    close(down[0]);
    close(up[1]);
    to = down[1];
    from = up[0];
    return reply();
  }
  char reply() const {
    char c = '?';
    return read(from, &c, 1) == 1 ? c : '?';
  }
  char ask(char cmd) const { return write(to, &cmd, 1) == 1 ? reply() : '?'; }
  /// Lets the holder exit (or kills it with @p sig) and reaps it.
  void finish(int sig = 0) {
    if (sig != 0) kill(pid, sig);
    close(to);
    close(from);
    int st = 0;
    waitpid(pid, &st, 0);
  }
};

}  // namespace

TEST_CASE("xsem_open creates nsems semaphores set to initial, with the permission bits asked", "[open][pts=2]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    key_file kf;
    int id = STUDENT(xsem_open)(kf.key(1), 3, 5, 0640);
    if (id < 0) return id;
    semid_ds ds{};
    unsigned short vals[3] = {0, 0, 0};
    semctl(id, 0, IPC_STAT, &ds);
    semctl(id, 0, GETALL, vals);
    c.send(std::to_string(ds.sem_nsems));
    char mode[8];
    snprintf(mode, sizeof mode, "%04o", ds.sem_perm.mode & 0777);
    c.send(mode);
    c.send(std::to_string(vals[0]) + " " + std::to_string(vals[1]) + " " + std::to_string(vals[2]));
    c.send(ds.sem_otime != 0 ? "set" : "zero");
    semctl(id, 0, IPC_RMID);
    return id;
  });
  expect::returned(r);
  {
    INFO("xsem_open(key, 3, 5, 0640) " << r.story());
    REQUIRE(r.value >= 0);
  }
  REQUIRE(r.messages.size() == 4);
  {
    INFO("the set's sem_nsems, mode and values, as IPC_STAT and GETALL show them");
    CHECK(r.messages[0] == "3");
    CHECK(r.messages[1] == "0640");
    CHECK(r.messages[2] == "5 5 5");
  }
  INFO("sem_otime is still 0: the creator must initialise with semop(), not only with "
       "SETVAL/SETALL, or openers cannot tell the set is ready (APUE 15.8)");
  CHECK(r.messages[3] == "set");
}

TEST_CASE("xsem_open of an existing set returns it without initialising it again", "[open][pts=2]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    key_file kf;
    int first = STUDENT(xsem_open)(kf.key(1), 2, 1, 0600);
    if (first < 0) return first;
    sembuf take{0, -1, 0};
    semop(first, &take, 1);  // semaphore 0 is now 0, semaphore 1 still 1
    int again = STUDENT(xsem_open)(kf.key(1), 2, 1, 0600);
    c.send(again == first ? "same" : "other: " + errno_text(again));
    c.send(std::to_string(value_of(first, 0)) + " " + std::to_string(value_of(first, 1)));
    int bigger = STUDENT(xsem_open)(kf.key(1), 3, 1, 0600);
    c.send(errno_text(bigger));
    semctl(first, 0, IPC_RMID);
    return 0;
  });
  expect::returned(r);
  REQUIRE(r.messages.size() == 3);
  {
    INFO("opening the key a second time must give the same identifier; got " << r.messages[0]);
    CHECK(r.messages[0] == "same");
  }
  {
    INFO("values after one semaphore was taken and the key opened again: " << r.messages[1]
         << "\nonly the creator (whose IPC_CREAT | IPC_EXCL succeeded) may set the values");
    CHECK(r.messages[1] == "0 1");
  }
  {
    INFO("asking for 3 semaphores of a set that has 2 should fail with EINVAL; got " << r.messages[2]);
    CHECK(r.messages[2] == "-1 EINVAL");
  }
  expect::no_objects_left(r);
}

TEST_CASE("xsem_open waits for an initialisation and gives up with ETIMEDOUT, touching nothing", "[open][race][pts=2]") {
  auto r = sandbox::call(
      [](sandbox::child& c) -> long {
        key_file kf;
        // Created, never initialised: what a creator that crashed leaves.
        int id = semget(kf.key(1), 1, IPC_CREAT | IPC_EXCL | 0600);
        if (id < 0) throw std::runtime_error("semget failed");
        errno = 0;
        int rc = STUDENT(xsem_open)(kf.key(1), 1, 1, 0600);
        int err = errno;
        semid_ds ds{};
        bool exists = semctl(id, 0, IPC_STAT, &ds) == 0;
        c.send(exists ? "exists" : "gone");
        c.send(std::to_string(value_of(id)) + (ds.sem_otime != 0 ? " touched" : " untouched"));
        semctl(id, 0, IPC_RMID);
        errno = err;
        return rc;
      },
      {.wall = 8s});
  expect::failed_with(r, ETIMEDOUT,
                      "xsem_open of a set whose creator never initialised it (sem_otime stays 0): "
                      "an opener must wait for sem_otime != 0, and not forever");
  REQUIRE(r.messages.size() == 2);
  CHECK(r.messages[0] == "exists");
  INFO("the opener must not initialise or remove a set it did not create");
  CHECK(r.messages[1] == "0 untouched");
}

namespace {

/// Waits, without sleeping, until the opener @p pid has returned ("returned
/// early"; it is not reaped) or sleeps in a wait of its own between tries:
/// a short sleep, poll(), select(), semop(), a signal wait ("waits"). An
/// opener asleep in any other call, not run for asleep::kParkedMs, is
/// killed and reaped, and the answer says where it slept.
std::string opener_state(pid_t pid) {
  namespace asleep = ipclab::asleep;
  switch (asleep::until_in(pid, {SYS_nanosleep, SYS_clock_nanosleep, SYS_select, SYS_pselect6, SYS_poll, SYS_ppoll,
                                 SYS_semop, SYS_semtimedop, SYS_futex, SYS_pause, SYS_rt_sigtimedwait})) {
    case asleep::reached::ended:
      return "returned early";
    case asleep::reached::call:
      return "waits";
    case asleep::reached::elsewhere:
      break;
  }
  long nr = ipclab::observe::blocked_call(pid).first;
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  return "it sleeps in " + asleep::call_name(nr) + ", not run for " + std::to_string(asleep::kParkedMs) + " ms";
}

/// Inside a call: the test plays a creator stopped between its semget() and
/// its semop(); the student's xsem_open(key, 1, 4) runs in a child, which
/// then takes one unit without waiting (T took it, A found none, E failed).
/// Sends "waits" or "returned early", then the opener's verdict.
pid_t stopped_creator_and_opener(sandbox::child& c, key_t key, int& id) {
  id = semget(key, 1, IPC_CREAT | IPC_EXCL | 0600);
  if (id < 0) throw std::runtime_error("semget failed");
  pid_t pid = fork();
  if (pid == 0) {
    int got = STUDENT(xsem_open)(key, 1, 4, 0600);
    std::string err = got < 0 ? std::string(" ") + ipclab::errno_name(errno) : "";
    sembuf take{0, -1, IPC_NOWAIT};
    c.send(std::string("opener: ") + (got < 0 ? "E" + err : got != id ? "another set" : semop(got, &take, 1) == 0 ? "T" : "A"));
    _exit(0);
  }
  return pid;
}

}  // namespace

TEST_CASE("an opener waits while the creator is stopped between semget and its semop", "[open][race][pts=3]") {
  auto r = sandbox::call(
      [](sandbox::child& c) -> long {
        key_file kf;
        int id = -1;
        pid_t pid = stopped_creator_and_opener(c, kf.key(1), id);
        c.send(opener_state(pid));
        sembuf init{0, 4, 0};  // the creator goes on: its semop sets the values and sem_otime
        semop(id, &init, 1);
        waitpid(pid, nullptr, 0);
        c.send("value " + std::to_string(value_of(id)));
        semctl(id, 0, IPC_RMID);
        return 0;
      },
      {.wall = 5s});
  expect::returned(r);
  auto sent = [&](const std::string& m) { return std::find(r.messages.begin(), r.messages.end(), m) != r.messages.end(); };
  std::string all;
  for (const auto& m : r.messages) all += "\n  " + m;
  auto slept = std::find_if(r.messages.begin(), r.messages.end(),
                            [](const std::string& m) { return m.rfind("it sleeps", 0) == 0; });
  if (slept != r.messages.end())
    FAIL("xsem_open, while the set's creator had created it but not yet initialised it, never waited by "
         "looking again: " << *slept << "; an opener tries IPC_STAT until sem_otime != 0, sleeping about a millisecond (nanosleep) between "
            "tries, and gives up with ETIMEDOUT (APUE 15.8)");
  if (sent("returned early") && sent("opener: E ETIMEDOUT"))
    FAIL("xsem_open gave up with ETIMEDOUT without ever sleeping between its IPC_STAT tries: wait "
         "about a millisecond (nanosleep) between tries, so the creator gets the processor");
  if (sent("returned early"))
    FAIL("xsem_open returned while the set's creator had created it but not yet initialised it "
         "(sem_otime still 0); an opener must wait until sem_otime != 0 (TLPI's \"bad init\", APUE 15.8). "
         "What the opener reported:" << all
         << (sent("value 3") ? "" : "\nThe value is not 3 either: an opener must never set the values of a "
                                    "set it did not create"));
  if (!sent("value 3"))
    FAIL("after the creator's semop of 4 and the opener's take of one unit the value should be 3:"
         << all << "\nan opener must never set the values of a set it did not create (only the process "
            "whose IPC_CREAT | IPC_EXCL succeeded initialises)");
  CHECK(sent("opener: T"));
  expect::no_objects_left(r);
}

TEST_CASE("a set removed while xsem_open waits for its initialisation: EIDRM", "[open][race][pts=1]") {
  auto r = sandbox::call(
      [](sandbox::child& c) -> long {
        key_file kf;
        int id = -1;
        pid_t pid = stopped_creator_and_opener(c, kf.key(1), id);
        c.send(opener_state(pid));
        semctl(id, 0, IPC_RMID);
        waitpid(pid, nullptr, 0);
        return 0;
      },
      {.wall = 5s});
  expect::messages(r, {"waits", "opener: E EIDRM"},
                   {"xsem_open must wait while sem_otime is 0",
                    "the set was removed while xsem_open waited: IPC_STAT then fails with EINVAL (the id is "
                    "dead); the contract asks for EIDRM"});
  expect::no_objects_left(r);
}

TEST_CASE("xsem_open with initial 0: the values are 0 and openers still see it initialised", "[open][pts=1]") {
  auto r = sandbox::call(
      [](sandbox::child& c) -> long {
        key_file kf;
        int id = STUDENT(xsem_open)(kf.key(1), 2, 0, 0600);
        if (id < 0) return id;
        semid_ds ds{};
        semctl(id, 0, IPC_STAT, &ds);
        c.send(std::to_string(value_of(id, 0)) + " " + std::to_string(value_of(id, 1)) +
               (ds.sem_otime != 0 ? ", sem_otime set" : ", sem_otime still 0"));
        errno = 0;
        int again = STUDENT(xsem_open)(kf.key(1), 2, 0, 0600);
        c.send(again == id ? "same set" : errno_text(again));
        semctl(id, 0, IPC_RMID);
        return 0;
      },
      {.wall = 4s});
  expect::messages(r, {"0 0, sem_otime set", "same set"},
                   {"xsem_open(key, 2, 0, 0600): a semop() whose operations are all 0 (wait for zero) "
                    "succeeds at once and still sets sem_otime; skipping it leaves openers waiting",
                    "a second xsem_open of that key must find it initialised"});
  expect::no_objects_left(r);
}

TEST_CASE("nsems above SEMOPM: E2BIG, and the creator removes the set it made", "[open][errors][pts=1]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    key_file kf;
    seminfo info{};
    semctl(0, 0, IPC_INFO, &info);
    errno = 0;
    c.send(errno_text(STUDENT(xsem_open)(kf.key(1), info.semopm + 1, 1, 0600)));
    int left = semget(kf.key(1), 0, 0);
    c.send(left < 0 ? "no set" : "a set left behind");
    if (left >= 0) semctl(left, 0, IPC_RMID);
    return 0;
  });
  expect::messages(r, {"-1 E2BIG", "no set"},
                   {"xsem_open with SEMOPM + 1 semaphores: the creator's one semop() takes at most SEMOPM "
                    "operations and fails with E2BIG; pass that error on",
                    "a creator whose initialisation failed must remove the set it created (IPC_RMID), "
                    "or every later opener waits on a set nobody will initialise"});
  expect::no_objects_left(r);
}

TEST_CASE("a semnum above 65535 is EFBIG: it must not wrap to semaphore 0", "[errors][pts=1]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    int id = semget(IPC_PRIVATE, 1, 0600);
    sembuf one{0, 1, 0};
    semop(id, &one, 1);
    errno = 0;
    c.send(errno_text(STUDENT(xsem_trylock)(id, 65536)));
    c.send("value " + std::to_string(value_of(id)));
    semctl(id, 0, IPC_RMID);
    return 0;
  });
  expect::messages(r, {"-1 EFBIG", "value 1"},
                   {"xsem_trylock(id, 65536) on a set of one semaphore: sem_num is an unsigned short, so "
                    "65536 stored there becomes 0; check semnum against 65535 first",
                    "semaphore 0 must be untouched"});
  expect::no_objects_left(r);
}

TEST_CASE("bad arguments and permissions fail with EINVAL, EACCES and EFBIG", "[errors][pts=2]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    key_file kf;
    c.send(errno_text(STUDENT(xsem_open)(IPC_PRIVATE, 0, 1, 0600)));
    c.send(errno_text(STUDENT(xsem_open)(IPC_PRIVATE, 1, -1, 0600)));
    c.send(errno_text(STUDENT(xsem_open)(IPC_PRIVATE, 1, 40000, 0600)));
    int ro = semget(kf.key(1), 1, IPC_CREAT | IPC_EXCL | 0400);
    c.send(errno_text(STUDENT(xsem_open)(kf.key(1), 1, 1, 0600)));
    semctl(ro, 0, IPC_RMID);
    int id = semget(IPC_PRIVATE, 1, 0600);
    c.send(errno_text(STUDENT(xsem_lock)(id, 1)));
    semctl(id, 0, IPC_RMID);
    c.send(errno_text(STUDENT(xsem_trylock)(id, 0)));
    c.send(errno_text(STUDENT(xsem_unlock)(id, 0)));
    return 0;
  });
  expect::returned(r);
  const char* what[] = {"xsem_open with nsems 0",
                        "xsem_open with initial -1",
                        "xsem_open with initial 40000 (above SEMVMX)",
                        "xsem_open(key, 1, 1, 0600) of a set with mode 0400",
                        "xsem_lock of semaphore 1 in a set of one",
                        "xsem_trylock on a removed set",
                        "xsem_unlock on a removed set"};
  const char* want[] = {"-1 EINVAL", "-1 EINVAL", "-1 EINVAL", "-1 EACCES",
                        "-1 EFBIG",  "-1 EINVAL", "-1 EINVAL"};
  REQUIRE(r.messages.size() == 7);
  for (int i = 0; i < 7; ++i) {
    INFO(what[i] << ": expected " << want[i] << ", got " << r.messages[i]);
    CHECK(r.messages[i] == want[i]);
  }
  expect::no_objects_left(r);
}

TEST_CASE("6 processes x 1000 increments of a shared counter end exact under xsem_lock", "[lock][pts=3]") {
  constexpr int procs = 6, increments = 1000;
  auto r = sandbox::call(
      [](sandbox::child& c) -> long {
        void* mem = mmap(nullptr, sizeof(long), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        if (mem == MAP_FAILED) throw std::runtime_error("mmap failed");
        auto* counter = static_cast<volatile long*>(mem);
        int id = STUDENT(xsem_open)(IPC_PRIVATE, 1, 1, 0600);
        if (id < 0) return id;
        for (int p = 0; p < procs; ++p) {
          if (fork() != 0) continue;
          for (int i = 0; i < increments; ++i) {
            if (STUDENT(xsem_lock)(id, 0) < 0) _exit(1);
            long v = *counter;
            sched_yield();  // invite the others in: only the lock keeps them out
            *counter = v + 1;
            if (STUDENT(xsem_unlock)(id, 0) < 0) _exit(2);
          }
          _exit(0);
        }
        int failed = 0;
        for (int st; wait(&st) > 0;)
          if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) ++failed;
        c.send(std::to_string(failed));
        c.send(std::to_string(*counter));
        c.send(std::to_string(value_of(id)));
        semctl(id, 0, IPC_RMID);
        munmap(mem, sizeof(long));
        return 0;
      },
      {.wall = 20s});  // 6000 lock handoffs: ample room on a loaded machine
  expect::returned(r);
  REQUIRE(r.messages.size() == 3);
  {
    INFO(r.messages[0] << " of the " << procs << " workers saw xsem_lock or xsem_unlock fail");
    CHECK(r.messages[0] == "0");
  }
  {
    INFO("the counter ended at " << r.messages[1] << " instead of " << procs * increments
         << ": increments were lost, so two processes were inside the lock at once "
            "(xsem_lock must wait in semop() with sem_op -1)");
    CHECK(r.messages[1] == std::to_string(procs * increments));
  }
  {
    INFO("after every worker unlocked, the semaphore should be back at 1; it is " << r.messages[2]);
    CHECK(r.messages[2] == "1");
  }
  expect::no_objects_left(r);
}

TEST_CASE("xsem_trylock fails with EAGAIN while another process holds the lock, succeeds after its unlock", "[trylock][pts=2]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    int id = STUDENT(xsem_open)(IPC_PRIVATE, 1, 1, 0600);
    if (id < 0) return id;
    holder h;
    c.send(std::string(1, h.start(id)));
    errno = 0;
    c.send(errno_text(STUDENT(xsem_trylock)(id, 0)));
    c.send(std::string(1, h.ask('u')));
    errno = 0;
    c.send(errno_text(STUDENT(xsem_trylock)(id, 0)));
    c.send(std::to_string(value_of(id)));
    h.finish();
    STUDENT(xsem_unlock)(id, 0);
    semctl(id, 0, IPC_RMID);
    return 0;
  }, {.wall = 3s});
  if (r.hung() && r.messages.size() == 1 && r.messages[0] == "L")
    FAIL("xsem_trylock never returned while another process held the lock: it waited in semop(); "
         "put IPC_NOWAIT in sem_flg so it fails at once with EAGAIN (APUE 15.8)");
  expect::returned(r);
  REQUIRE(r.messages.size() == 5);
  {
    INFO("the holder's xsem_lock on a fresh lock (L = took it)");
    REQUIRE(r.messages[0] == "L");
  }
  {
    INFO("xsem_trylock while another process holds the lock: use IPC_NOWAIT; got " << r.messages[1]);
    CHECK(r.messages[1] == "-1 EAGAIN");
  }
  {
    INFO("the holder's xsem_unlock (U = it succeeded)");
    CHECK(r.messages[2] == "U");
  }
  {
    INFO("xsem_trylock after the holder unlocked; got " << r.messages[3]);
    CHECK(r.messages[3] == "0");
  }
  {
    INFO("a taken lock has the value 0; it has " << r.messages[4]);
    CHECK(r.messages[4] == "0");
  }
  expect::no_objects_left(r);
}

TEST_CASE("a waiter sleeps in semop (GETNCNT 1) until the holder unlocks", "[lock][pts=2]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    int id = STUDENT(xsem_open)(IPC_PRIVATE, 1, 1, 0600);
    if (id < 0) return id;
    if (STUDENT(xsem_lock)(id, 0) < 0) return -1;
    pid_t pid = fork();
    if (pid == 0) {
      c.send(STUDENT(xsem_lock)(id, 0) == 0 ? "L" : "E");  // after the parent's "asleep"
      _exit(0);
    }
    bool slept = wait_for_sleepers(id, 1);
    c.send(slept ? "asleep" : "not asleep");
    STUDENT(xsem_unlock)(id, 0);
    waitpid(pid, nullptr, 0);
    semctl(id, 0, IPC_RMID);
    return 0;
  });
  expect::returned(r);
  REQUIRE(r.messages.size() == 2);
  {
    INFO("while the lock was held, no process waited in semop() for it (GETNCNT stayed 0): "
         "xsem_lock must block in one semop() without IPC_NOWAIT, not loop on a try");
    CHECK(r.messages[0] == "asleep");
  }
  {
    INFO("the waiter's xsem_lock after the unlock (L = took it)");
    CHECK(r.messages[1] == "L");
  }
  expect::clean(r);
}

TEST_CASE("a holder killed with SIGKILL releases the lock through SEM_UNDO", "[undo][pts=3]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    int id = STUDENT(xsem_open)(IPC_PRIVATE, 1, 1, 0600);
    if (id < 0) return id;
    holder h;
    c.send(std::string(1, h.start(id)));
    c.send(std::to_string(value_of(id)));
    h.finish(SIGKILL);  // killed while holding, then reaped: its undo has run
    c.send(std::to_string(value_of(id)));
    errno = 0;
    c.send(errno_text(STUDENT(xsem_trylock)(id, 0)));
    STUDENT(xsem_unlock)(id, 0);
    semctl(id, 0, IPC_RMID);
    return 0;
  });
  expect::returned(r);
  REQUIRE(r.messages.size() == 4);
  {
    INFO("the holder's xsem_lock on a fresh lock (L = took it)");
    REQUIRE(r.messages[0] == "L");
  }
  CHECK(r.messages[1] == "0");
  {
    INFO("after the holder died the value is " << r.messages[2]
         << ": the kernel gives a lock back only if it was taken with SEM_UNDO in sem_flg (APUE 15.8)");
    CHECK(r.messages[2] == "1");
  }
  {
    INFO("xsem_trylock after the holder died; got " << r.messages[3]);
    CHECK(r.messages[3] == "0");
  }
  expect::no_objects_left(r);
}

TEST_CASE("lock then unlock then exit leaves the value at 1: the two undo adjustments cancel", "[undo][pts=1]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    int id = STUDENT(xsem_open)(IPC_PRIVATE, 1, 1, 0600);
    if (id < 0) return id;
    pid_t pid = fork();
    if (pid == 0) {
      bool ok = STUDENT(xsem_lock)(id, 0) == 0 && STUDENT(xsem_unlock)(id, 0) == 0;
      _exit(ok ? 0 : 1);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    c.send(WIFEXITED(st) && WEXITSTATUS(st) == 0 ? "ok" : "failed");
    c.send(std::to_string(value_of(id)));
    semctl(id, 0, IPC_RMID);
    return 0;
  });
  expect::returned(r);
  REQUIRE(r.messages.size() == 2);
  {
    INFO("xsem_lock and xsem_unlock in the child");
    CHECK(r.messages[0] == "ok");
  }
  INFO("value after a process locked, unlocked and exited: " << r.messages[1]
       << "\nif xsem_unlock lacks SEM_UNDO, the exit undoes the lock's -1 a second time");
  CHECK(r.messages[1] == "1");
}

TEST_CASE("xsem_remove removes the set, wakes a waiter with EIDRM, then says EINVAL", "[remove][pts=2]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    int id = STUDENT(xsem_open)(IPC_PRIVATE, 1, 0, 0600);
    if (id < 0) return id;
    pid_t pid = fork();
    if (pid == 0) {
      int rc = STUDENT(xsem_lock)(id, 0);
      c.send(errno_text(rc));  // after the parent's "asleep": it wakes only once the set is gone
      _exit(0);
    }
    c.send(wait_for_sleepers(id, 1) ? "asleep" : "not asleep");
    int rc = STUDENT(xsem_remove)(id);
    int err = errno;
    waitpid(pid, nullptr, 0);
    errno = err;
    c.send(errno_text(rc));
    semid_ds ds{};
    c.send(semctl(id, 0, IPC_STAT, &ds) < 0 ? "gone" : "still there");
    errno = 0;
    c.send(errno_text(STUDENT(xsem_remove)(id)));
    return 0;
  });
  expect::returned(r);
  REQUIRE(r.messages.size() == 5);
  {
    INFO("the waiter must be asleep in xsem_lock on a semaphore of value 0");
    CHECK(r.messages[0] == "asleep");
  }
  {
    INFO("the waiter's xsem_lock when the set was removed under it: expected -1 EIDRM, got " << r.messages[1]);
    CHECK(r.messages[1] == "-1 EIDRM");
  }
  {
    INFO("xsem_remove returned " << r.messages[2]);
    CHECK(r.messages[2] == "0");
  }
  {
    INFO("after xsem_remove, IPC_STAT must find no set (semctl IPC_RMID)");
    CHECK(r.messages[3] == "gone");
  }
  {
    INFO("xsem_remove of a removed set: expected -1 EINVAL, got " << r.messages[4]);
    CHECK(r.messages[4] == "-1 EINVAL");
  }
  expect::clean(r);
}

namespace {
int interrupted_set = -1;
void release_lock() {
  sembuf up{0, 1, 0};
  semop(interrupted_set, &up, 1);
}
}  // namespace

TEST_CASE("xsem_lock resumes its wait when a signal interrupts it", "[lock][eintr][pts=2]") {
  sandbox::limits lim{.wall = 3s};
  lim.interrupt.syscalls = {SYS_semop, SYS_semtimedop};
  lim.interrupt.process = "xsem-locker";
  auto r = sandbox::call(
      [](sandbox::child& c) -> long {
        // Held (value 0) until the signal's handler releases it: the signal
        // always finds the locker's xsem_lock waiting.
        interrupted_set = semget(IPC_PRIVATE, 1, 0600);
        sandbox::interruptible(release_lock);
        pid_t pid = fork();
        if (pid == 0) {
          prctl(PR_SET_NAME, "xsem-locker");
          c.send(errno_text(STUDENT(xsem_lock)(interrupted_set, 0)));
          _exit(0);
        }
        waitpid(pid, nullptr, 0);
        semctl(interrupted_set, 0, IPC_RMID);
        return 0;
      },
      lim);
  if (!r.interrupted)
    FAIL("xsem_lock never blocked in semop() on a held lock, so the test could not interrupt it; the "
         "call " << r.story());
  if (r.messages.size() == 1 && r.messages[0] == "-1 EINTR")
    FAIL("xsem_lock returned -1 with EINTR: a signal interrupted its semop(); the contract says the "
         "wait resumes (loop while semop fails with EINTR; APUE 10.5, 15.8)");
  expect::messages(r, {"0"}, {"xsem_lock in a process interrupted once while it waited, then released"});
  expect::no_objects_left(r);
}
