// Chapter 05 — XSI semaphores: the graded tests. Each TEST_CASE carries its points.
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/sem.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <stdexcept>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "ipclab/die.hpp"
#include "ipclab/expect.hpp"
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
    c.send(std::to_string(ds.sem_perm.mode & 0777));
    c.send(std::to_string(vals[0]) + " " + std::to_string(vals[1]) + " " + std::to_string(vals[2]));
    c.send(ds.sem_otime != 0 ? "set" : "zero");
    semctl(id, 0, IPC_RMID);
    return id;
  });
  expect::returned(r);
  INFO("xsem_open(key, 3, 5, 0640) " << r.story());
  REQUIRE(r.value >= 0);
  REQUIRE(r.messages.size() == 4);
  INFO("the set's sem_nsems, mode, values and sem_otime, as IPC_STAT and GETALL show them");
  CHECK(r.messages[0] == "3");
  CHECK(r.messages[1] == std::to_string(0640));
  CHECK(r.messages[2] == "5 5 5");
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
  INFO("opening the key a second time must give the same identifier; got " << r.messages[0]);
  CHECK(r.messages[0] == "same");
  INFO("values after one semaphore was taken and the key opened again: " << r.messages[1]
       << "\nonly the creator (whose IPC_CREAT | IPC_EXCL succeeded) may set the values");
  CHECK(r.messages[1] == "0 1");
  INFO("asking for 3 semaphores of a set that has 2 should fail with EINVAL; got " << r.messages[2]);
  CHECK(r.messages[2] == "-1 EINVAL");
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

TEST_CASE("racing initialisers: 8 processes opening one key at once initialise it exactly once", "[open][race][pts=3]") {
  constexpr int racers = 8, rounds = 25;
  auto r = sandbox::call(
      [](sandbox::child& c) -> long {
        key_file kf;
        int bad_rounds = 0;
        for (int round = 1; round <= rounds; ++round) {
          key_t key = kf.key(round);
          int gate[2], results[2];
          if (pipe(gate) < 0 || pipe(results) < 0) throw std::runtime_error("pipe failed");
          for (int i = 0; i < racers; ++i) {
            if (fork() != 0) continue;
            close(gate[1]);
            char go;
            (void)!read(gate[0], &go, 1);  // end-of-file: everybody starts at once
            int id = STUDENT(xsem_open)(key, 1, racers, 0600);
            // Each racer takes one of the `racers` units, without waiting.
            sembuf take{0, -1, IPC_NOWAIT};
            char verdict = id < 0 ? 'E' : semop(id, &take, 1) == 0 ? 'T' : 'A';
            (void)!write(results[1], &verdict, 1);
            _exit(0);
          }
          close(gate[0]);
          close(gate[1]);
          close(results[1]);
          std::string verdicts;
          for (char v; read(results[0], &v, 1) == 1;) verdicts += v;
          close(results[0]);
          while (wait(nullptr) > 0) {
          }
          int id = semget(key, 0, 0);
          int left = id < 0 ? -1 : value_of(id);
          if (id >= 0) semctl(id, 0, IPC_RMID);
          if (verdicts == std::string(racers, 'T') && left == 0) continue;
          if (bad_rounds++ == 0)
            c.send("round " + std::to_string(round) + ": racers " + verdicts + ", value left " +
                   std::to_string(left));
        }
        return bad_rounds;
      },
      {.wall = 10s});
  expect::returned(r);
  std::string first = r.messages.empty() ? "" : r.messages[0];
  INFO("each racer opened the key (" << racers << " units) and took one unit; T = took it, "
       "A = found nothing to take (it returned before the set was initialised), E = xsem_open failed.\n"
       "An exact run ends with every racer T and the value 0; a value above 0 means the set was "
       "initialised again after some racer took a unit (only the IPC_EXCL creator may initialise; "
       "openers wait for sem_otime != 0, APUE 15.8).\n"
       << first);
  CHECK(r.value == 0);
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

TEST_CASE("6 processes x 1500 increments of a shared counter end exact under xsem_lock", "[lock][pts=3]") {
  constexpr int procs = 6, increments = 1500;
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
      {.wall = 10s});
  expect::returned(r);
  REQUIRE(r.messages.size() == 3);
  INFO(r.messages[0] << " of the " << procs << " workers saw xsem_lock or xsem_unlock fail");
  CHECK(r.messages[0] == "0");
  INFO("the counter ended at " << r.messages[1] << " instead of " << procs * increments
       << ": increments were lost, so two processes were inside the lock at once "
          "(xsem_lock must wait in semop() with sem_op -1)");
  CHECK(r.messages[1] == std::to_string(procs * increments));
  INFO("after every worker unlocked, the semaphore should be back at 1; it is " << r.messages[2]);
  CHECK(r.messages[2] == "1");
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
  });
  expect::returned(r);
  REQUIRE(r.messages.size() == 5);
  INFO("the holder's xsem_lock on a fresh lock (L = took it)");
  REQUIRE(r.messages[0] == "L");
  INFO("xsem_trylock while another process holds the lock: use IPC_NOWAIT; got " << r.messages[1]);
  CHECK(r.messages[1] == "-1 EAGAIN");
  INFO("the holder's xsem_unlock (U = it succeeded)");
  CHECK(r.messages[2] == "U");
  INFO("xsem_trylock after the holder unlocked; got " << r.messages[3]);
  CHECK(r.messages[3] == "0");
  INFO("a taken lock has the value 0; it has " << r.messages[4]);
  CHECK(r.messages[4] == "0");
  expect::no_objects_left(r);
}

TEST_CASE("a waiter sleeps in semop (GETNCNT 1) until the holder unlocks", "[lock][pts=2]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    int id = STUDENT(xsem_open)(IPC_PRIVATE, 1, 1, 0600);
    if (id < 0) return id;
    if (STUDENT(xsem_lock)(id, 0) < 0) return -1;
    int done[2];
    if (pipe(done) < 0) throw std::runtime_error("pipe failed");
    pid_t pid = fork();
    if (pid == 0) {
      char got = STUDENT(xsem_lock)(id, 0) == 0 ? 'L' : 'E';
      (void)!write(done[1], &got, 1);
      _exit(0);
    }
    close(done[1]);
    bool slept = wait_for_sleepers(id, 1);
    c.send(slept ? "asleep" : "not asleep");
    STUDENT(xsem_unlock)(id, 0);
    char got = '?';
    (void)!read(done[0], &got, 1);
    c.send(std::string(1, got));
    close(done[0]);
    waitpid(pid, nullptr, 0);
    semctl(id, 0, IPC_RMID);
    return 0;
  });
  expect::returned(r);
  REQUIRE(r.messages.size() == 2);
  INFO("while the lock was held, no process waited in semop() for it (GETNCNT stayed 0): "
       "xsem_lock must block in one semop() without IPC_NOWAIT, not loop on a try");
  CHECK(r.messages[0] == "asleep");
  INFO("the waiter's xsem_lock after the unlock (L = took it)");
  CHECK(r.messages[1] == "L");
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
  INFO("the holder's xsem_lock on a fresh lock (L = took it)");
  REQUIRE(r.messages[0] == "L");
  CHECK(r.messages[1] == "0");
  INFO("after the holder died the value is " << r.messages[2]
       << ": the kernel gives a lock back only if it was taken with SEM_UNDO in sem_flg (APUE 15.8)");
  CHECK(r.messages[2] == "1");
  INFO("xsem_trylock after the holder died; got " << r.messages[3]);
  CHECK(r.messages[3] == "0");
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
  INFO("xsem_lock and xsem_unlock in the child");
  CHECK(r.messages[0] == "ok");
  INFO("value after a process locked, unlocked and exited: " << r.messages[1]
       << "\nif xsem_unlock lacks SEM_UNDO, the exit undoes the lock's -1 a second time");
  CHECK(r.messages[1] == "1");
}

TEST_CASE("xsem_remove removes the set, wakes a waiter with EIDRM, then says EINVAL", "[remove][pts=2]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    int id = STUDENT(xsem_open)(IPC_PRIVATE, 1, 0, 0600);
    if (id < 0) return id;
    int done[2];
    if (pipe(done) < 0) throw std::runtime_error("pipe failed");
    pid_t pid = fork();
    if (pid == 0) {
      int rc = STUDENT(xsem_lock)(id, 0);
      std::string text = errno_text(rc);
      (void)!write(done[1], text.data(), text.size());
      _exit(0);
    }
    close(done[1]);
    c.send(wait_for_sleepers(id, 1) ? "asleep" : "not asleep");
    int rc = STUDENT(xsem_remove)(id);
    c.send(errno_text(rc));
    char buf[64] = {};
    (void)!read(done[0], buf, sizeof buf - 1);
    c.send(buf);
    close(done[0]);
    waitpid(pid, nullptr, 0);
    semid_ds ds{};
    c.send(semctl(id, 0, IPC_STAT, &ds) < 0 ? "gone" : "still there");
    errno = 0;
    c.send(errno_text(STUDENT(xsem_remove)(id)));
    return 0;
  });
  expect::returned(r);
  REQUIRE(r.messages.size() == 5);
  INFO("the waiter must be asleep in xsem_lock on a semaphore of value 0");
  CHECK(r.messages[0] == "asleep");
  INFO("xsem_remove returned " << r.messages[1]);
  CHECK(r.messages[1] == "0");
  INFO("the waiter's xsem_lock when the set was removed under it: expected -1 EIDRM, got " << r.messages[2]);
  CHECK(r.messages[2] == "-1 EIDRM");
  INFO("after xsem_remove, IPC_STAT must find no set (semctl IPC_RMID)");
  CHECK(r.messages[3] == "gone");
  INFO("xsem_remove of a removed set: expected -1 EINVAL, got " << r.messages[4]);
  CHECK(r.messages[4] == "-1 EINVAL");
  expect::clean(r);
}
