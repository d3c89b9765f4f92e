// Chapter 07 — mmap: the graded tests. Each TEST_CASE carries its points.
#include <signal.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "ipclab/asleep.hpp"
#include "ipclab/children.hpp"
#include "ipclab/die.hpp"
#include "ipclab/expect.hpp"
#include "ipclab/observe.hpp"
#include "ipclab/sandbox.hpp"
#include "mmap.hpp"

namespace sandbox = ipclab::sandbox;
namespace expect = ipclab::expect;
using namespace std::chrono_literals;

namespace {

const char* const kind_name[] = {"REGION_DEV_ZERO", "REGION_ANONYMOUS", "REGION_PRIVATE"};

/// Inside a call: "<bytes> <perms>" of the mapping holding @p addr, from
/// /proc/self/maps (perms end in 's' for shared, 'p' for private).
std::string mapping_at(const void* addr) {
  auto a = reinterpret_cast<unsigned long>(addr);
  std::ifstream maps("/proc/self/maps");
  for (std::string line; std::getline(maps, line);) {
    std::istringstream in(line);
    unsigned long lo = 0, hi = 0;
    char dash = 0;
    std::string perms;
    in >> std::hex >> lo >> dash >> hi >> perms;
    if (lo <= a && a < hi) return std::to_string(hi - lo) + " " + perms;
  }
  return "none";
}

/// Inside a call: how many shared mappings this process has.
int shared_mappings() {
  std::ifstream maps("/proc/self/maps");
  int n = 0;
  for (std::string line; std::getline(maps, line);) {
    std::istringstream in(line);
    std::string range, perms;
    in >> range >> perms;
    n += perms.size() == 4 && perms[3] == 's';
  }
  return n;
}

using ipclab::children::ended;
using ipclab::children::reap;

/// Inside a call: the parent stores @p mine at @p p and forks; the child
/// checks it sees it, stores @p theirs and exits. Returns "<child's exit
/// code> <what the parent reads afterwards>" (code 0: the child saw @p mine).
std::string child_overwrites(char* p, const char* mine, const char* theirs) {
  std::strcpy(p, mine);
  pid_t pid = fork();
  if (pid == 0) {
    bool saw = std::strcmp(p, mine) == 0;
    std::strcpy(p, theirs);
    _exit(saw ? 0 : 3);
  }
  int code = reap(pid);
  return std::to_string(code) + " " + p;
}

/// Inside a call: stops @p pid (a child) and waits until it is stopped.
void stop(pid_t pid) {
  kill(pid, SIGSTOP);
  int st = 0;
  waitpid(pid, &st, WUNTRACED);
}

/// Inside a call: forks a process that takes one message from @p s and
/// writes "took \"<message>\"" (or the error) as one line to @p report.
pid_t taker(msg_slot* s, int report) {
  pid_t pid = fork();
  if (pid != 0) return pid;
  char buf[SLOT_MAX];
  ssize_t n = STUDENT(slot_take)(s, buf, sizeof buf, 0);
  std::string line = n < 0 ? "took nothing: " + std::to_string(n) + " " + ipclab::errno_name(errno)
                           : "took \"" + std::string(buf, static_cast<size_t>(n)) + "\"";
  line += "\n";
  _exit(write(report, line.data(), line.size()) < 0 ? 1 : 0);
}

/// Inside a call: forks a process that puts @p msg into @p s, then exits.
pid_t putter(msg_slot* s, const std::string& msg) {
  pid_t pid = fork();
  if (pid == 0) _exit(STUDENT(slot_put)(s, msg.data(), msg.size(), 0) == 0 ? 0 : 1);
  return pid;
}

/// Inside a call: one line from @p fd (a report of taker()), without its newline.
std::string report_line(int fd) {
  std::string line;
  char ch;
  while (read(fd, &ch, 1) == 1 && ch != '\n') line += ch;
  return line;
}

std::string result_text(long rc) { return std::to_string(rc) + " " + ipclab::errno_name(errno); }

/// The trace count_alternately() must write for @p nloops turns each.
std::string alternating_trace(int nloops) {
  std::string want;
  for (int i = 1; i <= 2 * nloops; ++i) want += (i % 2 ? "parent " : "child ") + std::to_string(i) + "\n";
  return want;
}

/// The first line where @p got and @p want differ, told in words; "" when they are equal.
std::string first_different_line(const std::string& got, const std::string& want) {
  std::istringstream g(got), w(want);
  std::string gl, wl;
  for (int n = 1;; ++n) {
    bool has_g = static_cast<bool>(std::getline(g, gl)), has_w = static_cast<bool>(std::getline(w, wl));
    if (!has_g && !has_w) return "";
    if (!has_g || !has_w || gl != wl)
      return "line " + std::to_string(n) + " is \"" + (has_g ? gl : "(the end of the trace)") + "\" where \"" +
             (has_w ? wl : "(the end of the trace)") + "\" was due";
  }
}

void expect_alternation(int kind, int nloops) {
  sandbox::output_pipe out;
  auto r = sandbox::call(
      [&](sandbox::child&) -> long { return STUDENT(count_alternately)(kind, nloops, out.fd()); },
      {.wall = 10s}, {out});
  std::string what = std::string("the final counter with ") + kind_name[kind];
  if (r.returned() && r.value == nloops)
    what += " (the parent never saw the child's increments: is the counter mapped MAP_SHARED, and "
            "before fork()? APUE 15.9)";
  expect::returned_value(r, 2L * nloops, what);
  expect::equal(first_different_line(out.data(), alternating_trace(nloops)), "",
                "the trace must alternate parent/child, each line the value just stored; a repeated value "
                "means the two processes do not see one counter, a repeated name that a turn was not awaited");
  expect::clean(r);
}

}  // namespace

TEST_CASE("region_map: a shared region is zero-filled and rounded up to a page", "[region][pts=2]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    for (int kind : {REGION_DEV_ZERO, REGION_ANONYMOUS}) {
      auto* p = static_cast<unsigned char*>(STUDENT(region_map)(100, kind));
      if (p == nullptr || p == MAP_FAILED) return -1;
      auto page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
      size_t zeros = 0;
      for (size_t i = 0; i < page; ++i) zeros += p[i] == 0;
      p[page - 1] = 1;  // the whole last page is usable
      c.send(mapping_at(p) + " " + std::to_string(zeros == page));
      munmap(p, 100);
    }
    return 0;
  });
  expect::returned_value(r, 0, "region_map(100, kind) must return an address, not null or MAP_FAILED");
  REQUIRE(r.messages.size() == 2);
  std::string want = std::to_string(sysconf(_SC_PAGESIZE)) + " rw-s 1";
  for (int k = 0; k < 2; ++k)
    expect::equal(r.messages[k], want,
                  std::string("with ") + kind_name[k] +
                      ": \"<bytes> <perms> <1 if all zero>\" of the mapping; want one readable, writable, "
                      "shared (s) page, all zeros");
  expect::clean(r);  // the descriptor of /dev/zero is not needed once mapped
}

TEST_CASE("region_map: parent and child see each other's stores in a shared region", "[region][pts=3]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    for (int kind : {REGION_DEV_ZERO, REGION_ANONYMOUS}) {
      auto* p = static_cast<char*>(STUDENT(region_map)(64, kind));
      if (p == nullptr) return -1;
      c.send(child_overwrites(p, "from the parent", "from the child"));
      munmap(p, 64);
    }
    return 0;
  });
  expect::returned_value(r, 0, "region_map(64, kind) must return an address");
  REQUIRE(r.messages.size() == 2);
  for (int k = 0; k < 2; ++k)
    expect::equal(r.messages[k], "0 from the child",
                  std::string("with ") + kind_name[k] +
                      ": 0 = the child saw the parent's store, then what the parent read after the child "
                      "wrote; a region shared across fork() needs MAP_SHARED");
  expect::clean(r);
}

TEST_CASE("region_map: a private region is copied on write, not shared", "[region][pts=2]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    auto* p = static_cast<char*>(STUDENT(region_map)(64, REGION_PRIVATE));
    if (p == nullptr) return -1;
    c.send(mapping_at(p));
    c.send(child_overwrites(p, "parent's copy", "child's copy"));
    munmap(p, 64);
    return 0;
  });
  expect::returned_value(r, 0, "region_map(64, REGION_PRIVATE) must return an address");
  REQUIRE(r.messages.size() == 2);
  expect::equal(r.messages[0], std::to_string(sysconf(_SC_PAGESIZE)) + " rw-p",
                "REGION_PRIVATE is MAP_PRIVATE | MAP_ANONYMOUS: one private (p) page");
  expect::equal(r.messages[1], "0 parent's copy", "the child's store must stay in the child's copy of the page");
  expect::clean(r);
}

TEST_CASE("region_map: bad arguments fail with EINVAL; only /dev/zero needs a free descriptor",
          "[region][errors][pts=2]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    struct {
      size_t len;
      int kind;
    } bad[] = {{0, REGION_DEV_ZERO}, {0, REGION_ANONYMOUS}, {64, 3}, {64, -1}};
    for (auto& b : bad) {
      errno = 0;
      void* p = STUDENT(region_map)(b.len, b.kind);
      c.send(p == MAP_FAILED ? "MAP_FAILED" : result_text(p == nullptr ? -1 : 0));
    }
    std::vector<int> filler;  // fill the descriptor table: open() must fail
    for (int fd; (fd = dup(0)) >= 0;) filler.push_back(fd);
    errno = 0;
    void* z = STUDENT(region_map)(64, REGION_DEV_ZERO);
    c.send(z == MAP_FAILED ? "MAP_FAILED" : result_text(z == nullptr ? -1 : 0));
    void* a = STUDENT(region_map)(64, REGION_ANONYMOUS);
    c.send(a != nullptr && a != MAP_FAILED ? "mapped" : "failed");
    for (int fd : filler) close(fd);
    return 0;
  });
  expect::returned(r);
  REQUIRE(r.messages.size() == 6);
  const char* what[] = {"len 0 (REGION_DEV_ZERO)", "len 0 (REGION_ANONYMOUS)", "kind 3", "kind -1"};
  for (int i = 0; i < 4; ++i)
    expect::equal(r.messages[i], "-1 EINVAL", std::string("for ") + what[i] + ": a null pointer with EINVAL");
  expect::equal(r.messages[4], "-1 EMFILE",
                "with no free descriptor REGION_DEV_ZERO cannot open /dev/zero: return nullptr (never "
                "MAP_FAILED) with open()'s errno");
  expect::equal(r.messages[5], "mapped",
                "REGION_ANONYMOUS opens no file: it must work with a full descriptor table (MAP_ANONYMOUS, fd -1)");
}

TEST_CASE("region_map: when mmap() fails it returns a null pointer with ENOMEM and still closes /dev/zero",
          "[region][errors][pts=2]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    const size_t huge = size_t{1} << 47;  // more than a process's whole address space
    for (int kind : {REGION_DEV_ZERO, REGION_ANONYMOUS, REGION_PRIVATE}) {
      errno = 0;
      void* p = STUDENT(region_map)(huge, kind);
      c.send(p == MAP_FAILED ? "MAP_FAILED" : p != nullptr ? "an address" : result_text(-1));
    }
    int zeros = 0;
    for (const auto& f : ipclab::observe::open_fds(getpid())) zeros += f.target == "/dev/zero";
    c.send(std::to_string(zeros));
    return 0;
  });
  expect::returned(r);
  REQUIRE(r.messages.size() == 4);
  for (int k = 0; k < 3; ++k)
    expect::equal(r.messages[k], "-1 ENOMEM",
                  std::string("region_map(1 << 47, ") + kind_name[k] +
                      ") cannot be mapped: mmap() reports that with MAP_FAILED ((void *)-1), never with a "
                      "null pointer, so compare its result with MAP_FAILED and return nullptr (errno ENOMEM)");
  expect::equal(r.messages[3], "0",
                "descriptors of /dev/zero still open after REGION_DEV_ZERO failed in mmap(): close the "
                "descriptor on the failure path too");
}

TEST_CASE("count_alternately over /dev/zero: strict turns, one counter", "[counter][pts=3]") {
  expect_alternation(REGION_DEV_ZERO, 100);
}

TEST_CASE("count_alternately over MAP_ANONYMOUS: strict turns, one counter", "[counter][pts=3]") {
  expect_alternation(REGION_ANONYMOUS, 100);
}

TEST_CASE("count_alternately leaves no mapping, no descriptor and no child", "[counter][cleanup][pts=2]") {
  sandbox::output_pipe out;
  auto r = sandbox::call(
      [&](sandbox::child& c) -> long {
        int before = shared_mappings();
        long rc = STUDENT(count_alternately)(REGION_ANONYMOUS, 3, out.fd());
        int saved = errno;
        c.send(std::to_string(shared_mappings() - before));
        errno = saved;
        return rc;
      },
      {out});
  expect::returned_value(r, 6, "count_alternately(REGION_ANONYMOUS, 3, fd)");
  REQUIRE(r.messages.size() == 1);
  expect::equal(r.messages[0], "0", "shared mappings left in the parent: munmap the counter before returning");
  expect::clean(r);
}

TEST_CASE("count_alternately: bad arguments fail with EINVAL and start nothing", "[counter][errors][pts=1]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    struct {
      int kind, nloops;
    } bad[] = {{REGION_DEV_ZERO, 0}, {REGION_ANONYMOUS, -1}, {REGION_PRIVATE, 5}, {9, 5}};
    for (auto& b : bad) {
      errno = 0;
      c.send(result_text(STUDENT(count_alternately)(b.kind, b.nloops, 1)));
    }
    return 0;
  });
  expect::returned(r);
  REQUIRE(r.messages.size() == 4);
  const char* what[] = {"nloops 0", "nloops -1", "REGION_PRIVATE (a private counter is never shared)",
                        "kind 9"};
  for (int i = 0; i < 4; ++i)
    expect::equal(r.messages[i], "-1 EINVAL", std::string("for ") + what[i] + ": -1 with EINVAL");
  expect::clean(r);
}

TEST_CASE("slot: a message put is taken back intact, and destroy unmaps the slot", "[slot][pts=2]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    int before = shared_mappings();
    msg_slot* s = STUDENT(slot_create)();
    if (s == nullptr) return -1;
    char buf[SLOT_MAX] = {};
    if (STUDENT(slot_put)(s, "hello, slot", 11, 0) < 0) return -1;
    ssize_t n = STUDENT(slot_take)(s, buf, sizeof buf, 0);
    c.send(n < 0 ? result_text(n) : std::string(buf, static_cast<size_t>(n)));
    if (STUDENT(slot_put)(s, nullptr, 0, 0) < 0) return -1;
    c.send(std::to_string(STUDENT(slot_take)(s, buf, sizeof buf, 0)));
    long rc = STUDENT(slot_destroy)(s);
    c.send(std::to_string(shared_mappings() - before));
    return rc;
  });
  expect::returned_value(r, 0, "slot_create(), slot_put(), slot_take(), then slot_destroy()");
  REQUIRE(r.messages.size() == 3);
  expect::equal(r.messages[0], "hello, slot", "the message taken back");
  expect::equal(r.messages[1], "0", "an empty message (len 0) is a message too: take returns 0");
  expect::equal(r.messages[2], "0", "shared mappings left after slot_destroy: it must munmap the slot");
  expect::clean(r);
}

TEST_CASE("slot: SLOT_NOWAIT fails with EAGAIN on an empty take and on a full put", "[slot][pts=2]") {
  auto r = sandbox::call(
      [](sandbox::child& c) -> long {
        msg_slot* s = STUDENT(slot_create)();
        if (s == nullptr) return -1;
        char buf[SLOT_MAX] = {};
        errno = 0;
        c.send(result_text(STUDENT(slot_take)(s, buf, sizeof buf, SLOT_NOWAIT)));
        c.send(result_text(STUDENT(slot_put)(s, "first", 5, SLOT_NOWAIT)));
        errno = 0;
        c.send(result_text(STUDENT(slot_put)(s, "second", 6, SLOT_NOWAIT)));
        ssize_t n = STUDENT(slot_take)(s, buf, sizeof buf, SLOT_NOWAIT);
        c.send(n < 0 ? result_text(n) : std::string(buf, static_cast<size_t>(n)));
        return STUDENT(slot_destroy)(s);
      },
      {.wall = 3s});
  expect::returned_value(r, 0, "slot_create(), puts and takes with SLOT_NOWAIT, then slot_destroy()");
  REQUIRE(r.messages.size() == 4);
  expect::equal(r.messages[0], "-1 EAGAIN", "take from an empty slot with SLOT_NOWAIT");
  expect::equal(r.messages[1].substr(0, 2), "0 ", "put into an empty slot with SLOT_NOWAIT");
  expect::equal(r.messages[2], "-1 EAGAIN", "put into a full slot with SLOT_NOWAIT");
  expect::equal(r.messages[3], "first", "the refused put must not overwrite the message already there");
}

TEST_CASE("slot: EMSGSIZE for a message too long or a buffer too short; EINVAL for bad arguments",
          "[slot][errors][pts=2]") {
  auto r = sandbox::call(
      [](sandbox::child& c) -> long {
        msg_slot* s = STUDENT(slot_create)();
        if (s == nullptr) return -1;
        std::string big(SLOT_MAX + 1, 'x');
        char buf[SLOT_MAX + 1] = {};
        auto put = [&](msg_slot* slot, const void* m, size_t len, int flags) {
          errno = 0;
          c.send(result_text(STUDENT(slot_put)(slot, m, len, flags)));
        };
        put(s, big.data(), big.size(), SLOT_NOWAIT);  // EMSGSIZE
        put(nullptr, "x", 1, SLOT_NOWAIT);            // EINVAL
        put(s, nullptr, 1, SLOT_NOWAIT);              // EINVAL
        put(s, "x", 1, 2);                            // EINVAL
        put(s, big.data(), SLOT_MAX, SLOT_NOWAIT);    // fits
        errno = 0;
        c.send(result_text(STUDENT(slot_take)(s, buf, 10, SLOT_NOWAIT)));  // EMSGSIZE, stays
        c.send(result_text(STUDENT(slot_take)(s, nullptr, 10, SLOT_NOWAIT)));
        errno = 0;
        c.send(result_text(STUDENT(slot_take)(s, buf, sizeof buf, SLOT_NOWAIT)));
        errno = 0;
        c.send(result_text(STUDENT(slot_destroy)(nullptr)));
        return STUDENT(slot_destroy)(s);
      },
      {.wall = 3s});
  expect::returned_value(r, 0, "slot_create(), the bad calls, then slot_destroy()");
  REQUIRE(r.messages.size() == 9);
  struct {
    const char* what;
    std::string want;
  } cases[] = {{"put of SLOT_MAX + 1 bytes", "-1 EMSGSIZE"},
               {"put into a null slot", "-1 EINVAL"},
               {"put of a null message with len 1", "-1 EINVAL"},
               {"put with flags 2", "-1 EINVAL"},
               {"put of exactly SLOT_MAX bytes", "0 "},
               {"take of a SLOT_MAX-byte message into 10 bytes", "-1 EMSGSIZE"},
               {"take into a null buffer", "-1 EINVAL"},
               {"take after the EMSGSIZE (the message stays in the slot)", std::to_string(SLOT_MAX) + " "},
               {"slot_destroy(nullptr)", "-1 EINVAL"}};
  for (int i = 0; i < 9; ++i)
    expect::equal(r.messages[i].substr(0, cases[i].want.size()), cases[i].want, cases[i].what);
}

TEST_CASE("slot: 2000 messages from a child arrive once each and in order", "[slot][fork][pts=3]") {
  auto r = sandbox::call(
      [](sandbox::child& c) -> long {
        constexpr int count = 2000;
        msg_slot* s = STUDENT(slot_create)();
        if (s == nullptr) return -1;
        pid_t pid = fork();
        if (pid == 0) {
          for (int i = 0; i < count; ++i) {
            std::string m = "message " + std::to_string(i);
            if (STUDENT(slot_put)(s, m.data(), m.size(), 0) < 0) _exit(1);
          }
          _exit(0);
        }
        char buf[SLOT_MAX];
        for (int i = 0; i < count; ++i) {
          ssize_t n = STUDENT(slot_take)(s, buf, sizeof buf, 0);
          std::string got = n < 0 ? result_text(n) : std::string(buf, static_cast<size_t>(n));
          if (got != "message " + std::to_string(i)) {
            c.send("take number " + std::to_string(i) + " gave \"" + got + "\"");
            kill(pid, SIGKILL);
            break;
          }
        }
        c.send("child " + ended(pid));
        return STUDENT(slot_destroy)(s);
      },
      {.wall = 8s});
  expect::returned_value(r, 0, "slot_create(), 2000 takes, then slot_destroy()");
  REQUIRE(r.messages.size() == 1);
  expect::equal(r.messages[0], "child exited with 0",
                "the child puts, the parent takes: a put must wait while the slot is full and a take while "
                "it is empty, in the one slot both processes share (a private copy never receives anything), "
                "guarded by synchronisation made for use between processes (PTHREAD_PROCESS_SHARED, or "
                "pshared semaphores)");
  expect::clean(r);
}

TEST_CASE("slot: two takers wait on an empty slot; one put wakes both, only one may take",
          "[slot][fork][waiters][pts=3]") {
  auto r = sandbox::call(
      [](sandbox::child& c) -> long {
        msg_slot* s = STUDENT(slot_create)();
        int rep[2];
        if (s == nullptr || socketpair(AF_UNIX, SOCK_STREAM, 0, rep) < 0) return -1;
        pid_t first = taker(s, rep[1]), second = taker(s, rep[1]);
        close(rep[1]);
        // Both sleep in slot_take; the second is stopped, so the put goes to
        // the first, and the second sees the wakeup only once the slot is empty again.
        bool forced = ipclab::asleep::wait_all({first, second});
        if (forced) stop(second);
        if (STUDENT(slot_put)(s, "one", 3, 0) < 0) return -1;
        if (forced && !ipclab::asleep::settle({first}).empty()) {
          c.send("the taker in another process slept on after the put");
          for (pid_t p : {first, second}) kill(p, SIGKILL);
          for (pid_t p : {first, second}) waitpid(p, nullptr, 0);
          close(rep[0]);
          return 0;  // not slot_destroy(): a condition variable with killed waiters may never be destroyed
        }
        c.send(report_line(rep[0]));
        if (forced) {
          waitpid(first, nullptr, 0);
          kill(second, SIGCONT);
        }
        auto waiting = ipclab::asleep::settle({first, second});
        c.send(waiting.size() == 1 ? "the other taker still waits"
                                   : "the other taker also returned: " + report_line(rep[0]));
        if (waiting.size() == 1) {
          STUDENT(slot_put)(s, "two", 3, 0);
          c.send(report_line(rep[0]));
          waitpid(waiting[0], nullptr, 0);
        }
        char buf[SLOT_MAX];
        errno = 0;
        c.send(result_text(STUDENT(slot_take)(s, buf, sizeof buf, SLOT_NOWAIT)));
        close(rep[0]);
        return STUDENT(slot_destroy)(s);
      },
      {.wall = 10s});
  expect::returned_value(r, 0, "slot_create(), two takers, two puts, then slot_destroy()");
  REQUIRE(!r.messages.empty());
  expect::equal(r.messages[0], "took \"one\"",
                r.messages[0].rfind("the taker", 0) == 0
                    ? "the put returned, but its wakeup never reached the taker sleeping in another process: "
                      "a mutex and condition variable shared between processes must be initialised with "
                      "PTHREAD_PROCESS_SHARED (pthread_mutexattr_setpshared, pthread_condattr_setpshared)"
                    : "the taker that ran first takes the one message put");
  REQUIRE(r.messages.size() >= 2);
  expect::equal(r.messages[1], "the other taker still waits",
                "two takers slept in slot_take on an empty slot and one put woke them: the second must "
                "find the slot empty again and go back to sleep. pthread_cond_wait may return while the "
                "slot is still not as wanted (a broadcast, another process came first, a spurious wakeup): "
                "re-check the state in a while loop around pthread_cond_wait, not an if (APUE 11.6.6)");
  if (r.messages.size() == 4) {
    expect::equal(r.messages[2], "took \"two\"", "the second put goes to the taker still waiting");
    expect::equal(r.messages[3], "-1 EAGAIN", "after two puts and two takes the slot is empty");
  }
  expect::clean(r);
}

TEST_CASE("slot: putters and a taker wait at once; every put wakes the taker",
          "[slot][fork][waiters][pts=3]") {
  auto r = sandbox::call(
      [](sandbox::child& c) -> long {
        msg_slot* s = STUDENT(slot_create)();
        int rep[2];
        if (s == nullptr || socketpair(AF_UNIX, SOCK_STREAM, 0, rep) < 0 || STUDENT(slot_put)(s, "x", 1, 0) < 0) return -1;
        // Two putters sleep on the full slot and are stopped there; the
        // parent empties the slot and a taker goes to sleep on it. Then the
        // putters go on: one puts, and its wakeup must reach the taker, not
        // only the other putter.
        pid_t p1 = putter(s, "p1"), p2 = putter(s, "p2");
        bool forced = ipclab::asleep::wait_all({p1, p2});
        if (forced) {
          stop(p1);
          stop(p2);
        }
        char buf[SLOT_MAX];
        ssize_t n = STUDENT(slot_take)(s, buf, sizeof buf, 0);
        if (n != 1) return -1;
        pid_t t = taker(s, rep[1]);
        close(rep[1]);
        if (forced) {
          ipclab::asleep::wait_all({t});
          kill(p1, SIGCONT);
          kill(p2, SIGCONT);
        }
        auto waiting = ipclab::asleep::settle({p1, p2, t});
        if (!waiting.empty()) {
          bool taker_waits = std::find(waiting.begin(), waiting.end(), t) != waiting.end();
          c.send(std::string(taker_waits ? "the taker" : "a putter") + " and " +
                 std::to_string(waiting.size() - taker_waits) + " putter(s) sleep for good");
          for (pid_t p : waiting) kill(p, SIGKILL);
          for (pid_t p : waiting) waitpid(p, nullptr, 0);
          close(rep[0]);
          return 0;  // not slot_destroy(): a condition variable with killed waiters may never be destroyed
        }
        c.send("every process finished");
        std::string took = report_line(rep[0]);
        n = STUDENT(slot_take)(s, buf, sizeof buf, SLOT_NOWAIT);
        std::string left = n < 0 ? result_text(n) : "\"" + std::string(buf, static_cast<size_t>(n)) + "\"";
        c.send(took == "took \"p1\"" || took == "took \"p2\"" ? "the taker got one put, the slot holds " + left
                                                              : "the taker " + took + ", the slot holds " + left);
        close(rep[0]);
        return STUDENT(slot_destroy)(s);
      },
      {.wall = 10s});
  expect::returned_value(r, 0, "slot_create(), two putters, a taker, then slot_destroy()");
  REQUIRE(!r.messages.empty());
  const char* no_wakeup_crosses =
      "no wakeup reached another process: every putter and the taker sleep although the slot changed. A mutex "
      "and condition variable shared between processes must be initialised with PTHREAD_PROCESS_SHARED "
      "(pthread_mutexattr_setpshared, pthread_condattr_setpshared)";
  expect::equal(r.messages[0], "every process finished",
                r.messages[0] == "the taker and 2 putter(s) sleep for good" ? no_wakeup_crosses :
                "the putters and the taker all sleep in the slot's one condition variable; after a put "
                "only the taker can go on, but pthread_cond_signal wakes ONE sleeper, here the other putter, "
                "which finds the slot full and sleeps again: the wakeup is lost. When sleepers wait for "
                "different things on one condition, wake them all with pthread_cond_broadcast (or use one "
                "condition per kind of waiter)");
  if (r.messages.size() == 2) {
    bool one_each = r.messages[1] == "the taker got one put, the slot holds \"p1\"" ||
                    r.messages[1] == "the taker got one put, the slot holds \"p2\"";
    expect::equal(one_each ? "one each" : r.messages[1], "one each",
                  "two puts, one take: the taker holds one message and the slot the other");
  }
  expect::clean(r);
}

TEST_CASE("slot: requests and replies between two processes through two slots", "[slot][fork][pts=2]") {
  auto r = sandbox::call(
      [](sandbox::child& c) -> long {
        constexpr int rounds = 300;
        msg_slot* ask = STUDENT(slot_create)();
        msg_slot* answer = ask == nullptr ? nullptr : STUDENT(slot_create)();
        if (answer == nullptr) return -1;
        pid_t pid = fork();
        if (pid == 0) {  // the server: doubles each number it is sent
          for (int i = 0; i < rounds; ++i) {
            long v = 0;
            if (STUDENT(slot_take)(ask, &v, sizeof v, 0) != sizeof v) _exit(1);
            v *= 2;
            if (STUDENT(slot_put)(answer, &v, sizeof v, 0) < 0) _exit(2);
          }
          _exit(0);
        }
        int wrong = 0;
        for (long i = 0; i < rounds; ++i) {
          long v = -1;
          if (STUDENT(slot_put)(ask, &i, sizeof i, 0) < 0 ||
              STUDENT(slot_take)(answer, &v, sizeof v, 0) != sizeof v) {
            c.send("round " + std::to_string(i) + ": " + result_text(-1));
            kill(pid, SIGKILL);
            break;
          }
          wrong += v != 2 * i;
        }
        c.send("wrong " + std::to_string(wrong) + ", child " + ended(pid));
        long rc = STUDENT(slot_destroy)(ask);
        return STUDENT(slot_destroy)(answer) < 0 ? -1 : rc;
      },
      {.wall = 8s});
  expect::returned_value(r, 0, "two slot_create(), 300 round trips, then two slot_destroy()");
  REQUIRE(r.messages.size() == 1);
  expect::equal(r.messages[0], "wrong 0, child exited with 0",
                "each take must wait for the other process's put: no stale or lost message");
  expect::clean(r);
}
