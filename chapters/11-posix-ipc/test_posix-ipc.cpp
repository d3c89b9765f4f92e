// Chapter 11 — POSIX message queues and shared memory: the graded tests.
// Each TEST_CASE carries its points.
//
// The bodies make their own queues and objects with the raw calls, named
// after the call's pid (so runs side by side never meet), hand them to one
// student function at a time and look at the result with the raw calls
// again. Each body removes what it made; whatever is left was left by the
// student's code, and expect::clean() reports it. Waits that matter are
// forced by watching, in /proc, that a process sleeps in the call that
// waits (never by sleeping).
#include <fcntl.h>
#include <mqueue.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <initializer_list>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "ipclab/asleep.hpp"
#include "ipclab/die.hpp"
#include "ipclab/expect.hpp"
#include "ipclab/observe.hpp"
#include "ipclab/sandbox.hpp"
#include "posix-ipc.hpp"

namespace sandbox = ipclab::sandbox;
namespace expect = ipclab::expect;
using namespace std::chrono_literals;

namespace {

const mqd_t kNoQueue = static_cast<mqd_t>(-1);

/// "rc" or "rc ERRNO", the way the tests report a student call.
std::string outcome(long rc, int err) {
  return std::to_string(rc) + (rc < 0 ? std::string(" ") + ipclab::errno_name(err) : "");
}

/// The same for a call just made: errno is read after @p rc was computed.
std::string outcome(long rc) { return outcome(rc, errno); }

/// A name of this call's own: "/ipclab-<what>.<pid>".
std::string unique(const std::string& what) { return "/ipclab-" + what + "." + std::to_string(getpid()); }

/// The test's own queue, created fresh.
mqd_t raw_queue(const std::string& name, long maxmsg, long msgsize, int flags = O_RDWR) {
  mq_attr attr{};
  attr.mq_maxmsg = maxmsg;
  attr.mq_msgsize = msgsize;
  mq_unlink(name.c_str());
  return mq_open(name.c_str(), O_CREAT | O_EXCL | flags, 0600, &attr);
}

/// True when a queue named @p name exists.
bool queue_named(const std::string& name) {
  mqd_t q = mq_open(name.c_str(), O_RDONLY);
  if (q == kNoQueue) return errno != ENOENT;
  mq_close(q);
  return true;
}

long queued(mqd_t q) {
  mq_attr attr{};
  return mq_getattr(q, &attr) == 0 ? attr.mq_curmsgs : -1;
}

/// Every message left on @p q, as "text/priority ...", taken without waiting.
std::string raw_drain(mqd_t q) {
  std::string out;
  mq_attr attr{};
  mq_getattr(q, &attr);
  std::vector<char> buf(static_cast<size_t>(attr.mq_msgsize));
  timespec past{0, 0};
  unsigned prio = 0;
  for (ssize_t n; (n = mq_timedreceive(q, buf.data(), buf.size(), &prio, &past)) >= 0;)
    out += (out.empty() ? "" : " ") + std::string(buf.data(), static_cast<size_t>(n)) + "/" + std::to_string(prio);
  return out;
}

/// The size of /dev/shm's entry for @p name, or -1 when there is none.
long shm_size(const std::string& name) {
  struct stat st {};
  return stat(("/dev/shm" + name).c_str(), &st) == 0 ? static_cast<long>(st.st_size) : -1;
}

/// The state letter of @p pid in /proc ('S' sleeping, 'R' running...).
char state_of(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(in, line);
  auto close = line.rfind(')');
  return close == std::string::npos || close + 2 >= line.size() ? '?' : line[close + 2];
}

bool ended(pid_t pid) {
  siginfo_t info{};
  return waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid;
}

/// Waits, without sleeping, until the taker @p pid sleeps in
/// mq_timedreceive() (""), or has ended ("ended"; not reaped). A taker
/// asleep in another call, not run for asleep::kParkedMs, is killed (not
/// reaped), and the answer says where it slept.
std::string sleeps_in_receive(pid_t pid) {
  namespace asleep = ipclab::asleep;
  switch (asleep::until_in(pid, {SYS_mq_timedreceive})) {
    case asleep::reached::call:
      return "";
    case asleep::reached::ended:
      return "ended";
    case asleep::reached::elsewhere:
      break;
  }
  std::string where = asleep::call_name(ipclab::observe::blocked_call(pid).first);
  kill(pid, SIGKILL);
  return "it sleeps in " + where + ", not run for " + std::to_string(asleep::kParkedMs) +
         " ms, instead of waiting in mq_timedreceive()";
}

/// True when descriptor @p fd of @p pid is a signalfd whose mask holds
/// PQ_NOTIFY_SIGNAL (its fdinfo prints the mask in hex, bit N-1 for
/// signal N).
bool notice_signalfd(pid_t pid, long fd) {
  std::string base = "/proc/" + std::to_string(pid);
  char target[64] = {};
  if (readlink((base + "/fd/" + std::to_string(fd)).c_str(), target, sizeof target - 1) < 0 ||
      std::string(target) != "anon_inode:[signalfd]")
    return false;
  std::ifstream info(base + "/fdinfo/" + std::to_string(fd));
  for (std::string key, value; info >> key >> value;)
    if (key == "sigmask:") return (std::stoull(value, nullptr, 16) >> (PQ_NOTIFY_SIGNAL - 1) & 1) != 0;
  return false;
}

/// True when @p pid holds a signalfd for PQ_NOTIFY_SIGNAL.
bool holds_notice_signalfd(pid_t pid) {
  for (const auto& e : ipclab::observe::open_fds(pid))
    if (notice_signalfd(pid, e.fd)) return true;
  return false;
}

/// True when @p pid, blocked in call @p nr with first argument @p arg,
/// waits for PQ_NOTIFY_SIGNAL: in sigwaitinfo()/sigtimedwait()/
/// sigsuspend(), in mq_timedreceive() (a blocking take), in read() on a
/// signalfd for the signal, or in poll()/select()/epoll_wait() (any
/// variant) while it holds one, the way an event loop waits. A sleep in
/// anything else (nanosleep(), a select() with no signalfd to watch) is
/// polling, not a wait.
bool waits_for_notice(pid_t pid, long nr, long arg) {
  switch (nr) {
    case SYS_rt_sigtimedwait:
    case SYS_rt_sigsuspend:
    case SYS_mq_timedreceive:
      return true;
    case SYS_read:
      return notice_signalfd(pid, arg);
#ifdef SYS_poll
    case SYS_poll:
#endif
#ifdef SYS_select
    case SYS_select:
#endif
#ifdef SYS_epoll_wait
    case SYS_epoll_wait:
#endif
#ifdef SYS_epoll_pwait2
    case SYS_epoll_pwait2:
#endif
    case SYS_ppoll:
    case SYS_pselect6:
    case SYS_epoll_pwait:
      return holds_notice_signalfd(pid);
    default:
      return false;
  }
}

/// What a sleep in call @p nr, not a wait for the notification, is.
std::string slept_in(long nr) {
  switch (nr) {
    case SYS_nanosleep:
    case SYS_clock_nanosleep:
      return "it sleeps in nanosleep() and looks again (polling)";
#ifdef SYS_pause
    case SYS_pause:
      return "it sleeps in pause(), which a blocked signal never ends (sigsuspend() unblocks it while waiting)";
#endif
    case SYS_read:
      return "it sleeps in read() on a descriptor that is no signalfd for PQ_NOTIFY_SIGNAL";
#ifdef SYS_poll
    case SYS_poll:
#endif
#ifdef SYS_select
    case SYS_select:
#endif
    case SYS_ppoll:
    case SYS_pselect6:
      return "it sleeps in poll() or select() holding no signalfd for PQ_NOTIFY_SIGNAL (a timeout there is "
             "polling)";
    default:
      return "it sleeps in " + ipclab::asleep::call_name(nr) + ", holding no signalfd for PQ_NOTIFY_SIGNAL";
  }
}

/// How long pq_collect may take to reach its wait: registering and taking
/// one message take microseconds, so only a consumer that never waits for
/// its notification (it polls) runs this long.
constexpr auto kReachWait = 4s;

/// Watches pq_collect in @p pid: "waits" once it sleeps waiting for its
/// notification (waits_for_notice()), "ended" once it ended (not reaped),
/// or what it was seen doing when it sleeps in another wait, not run for
/// asleep::kParkedMs, or did neither within kReachWait.
std::string notice_wait_of(pid_t pid) {
  auto give_up = std::chrono::steady_clock::now() + kReachWait;
  long last = -1;
  ipclab::asleep::stillness still;
  for (;;) {
    auto call = ipclab::observe::blocked_call(pid);
    if (call.first >= 0 && state_of(pid) == 'S') {
      if (waits_for_notice(pid, call.first, call.second) && ipclab::observe::blocked_call(pid) == call)
        return "waits";
      last = call.first;
    }
    if (ended(pid)) return "ended";
    if (still.parked(pid)) return slept_in(ipclab::observe::blocked_call(pid).first);
    if (std::chrono::steady_clock::now() > give_up) return last < 0 ? "it runs without ever sleeping" : slept_in(last);
    sched_yield();
  }
}

/// How the child @p pid ended: "" for exit 0, else "exited with N" or
/// "was killed by SIGxxx".
std::string reap(pid_t pid) {
  int st = 0;
  while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(st)) return WEXITSTATUS(st) == 0 ? "" : "exited with " + std::to_string(WEXITSTATUS(st));
  return std::string("was killed by SIG") + (WIFSIGNALED(st) ? sigabbrev_np(WTERMSIG(st)) : "?");
}

/// Sends "not reached" for each of the @p n steps a failure skipped, so the
/// failure is explained by its own step.
void skip(sandbox::child& c, int n) {
  for (int i = 0; i < n; ++i) c.send("not reached");
}

/// Everything a finished child wrote on @p fd.
std::string read_all(int fd) {
  std::string out;
  char buf[256];
  for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;) out.append(buf, static_cast<size_t>(n));
  return out;
}

/// Forks a child that writes what @p fn returns to a pipe; {pid, read end}.
template <class F>
std::pair<pid_t, int> child_reporting(F fn) {
  int p[2];
  if (pipe(p) < 0) return {-1, -1};
  pid_t pid = fork();
  if (pid == 0) {
    close(p[0]);
    std::string said = fn();
    _exit(write(p[1], said.data(), said.size()) == static_cast<ssize_t>(said.size()) ? 0 : 1);
  }
  close(p[1]);
  return {pid, p[0]};
}

/// The child's report once it ended (and it is reaped).
std::string report_of(std::pair<pid_t, int> child) {
  std::string said = read_all(child.second);
  close(child.second);
  std::string how = reap(child.first);
  return how.empty() ? said : said + (said.empty() ? "" : "; ") + "the child " + how;
}

/// What the student's pq_take returned: "n 'text' rank r" or "-1 ERRNO".
std::string student_take(mqd_t q, size_t cap, long timeout_ms) {
  std::vector<char> buf(cap + 8, '#');
  int rank = -99;
  errno = 0;
  ssize_t n = STUDENT(pq_take)(q, buf.data(), cap, &rank, timeout_ms);
  if (n < 0) return outcome(n, errno);
  std::string text(buf.data(), strnlen(buf.data(), cap + 8));
  std::string line = std::to_string(n) + " '" + text + "' rank " + std::to_string(rank);
  if (buf[cap] != '#') line += "; it wrote past cap bytes";
  return line;
}

}  // namespace

TEST_CASE("pq_create makes a new queue with the sizes asked, open both ways, and only once",
          "[pq_create][pts=2]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    std::string name = unique("create");
    errno = 0;
    mqd_t q = STUDENT(pq_create)(name.c_str(), 4, 128);
    if (q == kNoQueue) {
      c.send(outcome(-1, errno));
      skip(c, 2);
      return 0;
    }
    mq_attr attr{};
    mq_getattr(q, &attr);
    struct stat st {};
    fstat(q, &st);  // on Linux a queue descriptor is a file descriptor
    char mode[8];
    std::snprintf(mode, sizeof mode, "%o", st.st_mode & 0777);
    c.send("maxmsg " + std::to_string(attr.mq_maxmsg) + ", msgsize " + std::to_string(attr.mq_msgsize) + ", " +
           std::to_string(attr.mq_curmsgs) + " queued, " + ((attr.mq_flags & O_NONBLOCK) ? "non-blocking" : "blocking") +
           ", mode " + mode);
    char buf[128];
    bool sent = mq_send(q, "x", 1, 0) == 0;
    int send_err = errno;
    bool received = sent && mq_receive(q, buf, sizeof buf, nullptr) == 1;
    c.send(sent ? (received ? "sent and received" : "sent, but not received") : outcome(-1, send_err));
    errno = 0;
    mqd_t again = STUDENT(pq_create)(name.c_str(), 4, 128);
    c.send(outcome(again == kNoQueue ? -1 : 0, errno));
    if (again != kNoQueue) mq_close(again);
    mq_close(q);
    mq_unlink(name.c_str());
    return 0;
  });
  expect::messages(r, {"maxmsg 4, msgsize 128, 0 queued, blocking, mode 600", "sent and received", "-1 EEXIST"},
                   {"pq_create(name, 4, 128): the queue as mq_getattr and fstat see it; pass a struct mq_attr with "
                    "mq_maxmsg and mq_msgsize to mq_open, mode 0600 (mq_open(3))",
                    "the descriptor pq_create returns must send and receive: O_RDWR",
                    "a second pq_create of the same name must fail with EEXIST: O_CREAT | O_EXCL"});
  expect::clean(r);
}

TEST_CASE("pq_create refuses bad names and sizes with EINVAL, and sizes above /proc/sys/fs/mqueue's limits",
          "[pq_create][errors][pts=2]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    long msg_max = 0, msgsize_max = 0;
    std::ifstream("/proc/sys/fs/mqueue/msg_max") >> msg_max;
    std::ifstream("/proc/sys/fs/mqueue/msgsize_max") >> msgsize_max;
    std::string good = unique("limits"), slashless = good.substr(1), two = good + "/x";
    struct attempt {
      const char* name;
      long maxmsg, msgsize;
    };
    for (attempt a : {attempt{nullptr, 4, 64}, {slashless.c_str(), 4, 64}, {"/", 4, 64}, {two.c_str(), 4, 64},
                      {good.c_str(), 0, 64}, {good.c_str(), 4, 0}, {good.c_str(), msg_max + 1, 64},
                      {good.c_str(), 4, msgsize_max + 1}}) {
      errno = 0;
      mqd_t q = STUDENT(pq_create)(a.name, a.maxmsg, a.msgsize);
      c.send(outcome(q == kNoQueue ? -1 : 0, errno));
      if (q != kNoQueue) mq_close(q);
      mq_unlink(good.c_str());
    }
    return 0;
  });
  expect::messages(r, std::vector<std::string>(8, "-1 EINVAL"),
                   {"pq_create(nullptr, ...): check the name before using it",
                    "a name without its leading slash (mq_overview(7): \"/somename\")",
                    "\"/\" alone names nothing", "a name with a second slash: mq_open says EACCES, the contract EINVAL",
                    "maxmsg 0", "msgsize 0",
                    "maxmsg above /proc/sys/fs/mqueue/msg_max: mq_open fails with EINVAL for an unprivileged "
                    "process; pass its errno on",
                    "msgsize above /proc/sys/fs/mqueue/msgsize_max: EINVAL from mq_open"});
  expect::clean(r);
}

TEST_CASE("pq_send_job: rank 1 comes out first, and jobs of one rank in the order sent",
          "[pq_send_job][priorities][pts=3]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    std::string name = unique("ranks");
    mqd_t q = raw_queue(name, 10, 64);
    if (q == kNoQueue) return -2;
    std::string rcs;
    for (auto [text, rank] : {std::pair{"c3", 3}, {"a1", 1}, {"b2", 2}, {"d1", 1}, {"e8", 8}}) {
      errno = 0;
      rcs += outcome(STUDENT(pq_send_job)(q, text, rank)) + " ";
    }
    c.send(rcs);
    c.send(raw_drain(q));
    mq_close(q);
    mq_unlink(name.c_str());
    return 0;
  });
  expect::messages(r, {"0 0 0 0 0 ", "a1/7 d1/7 b2/6 c3/5 e8/0"},
                   {"every pq_send_job must return 0",
                    "jobs sent with ranks 3, 1, 2, 1, 8 as mq_receive takes them (text/priority): mq_receive takes "
                    "the highest priority first, the opposite of msgrcv's negative type, so the priority is "
                    "PQ_RANKS - rank (mq_send(3)); the text is sent without its NUL"});
  expect::clean(r);
}

TEST_CASE("pq_take returns a message and its rank into a buffer smaller than mq_msgsize",
          "[pq_take][pts=3]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    std::string name = unique("take");
    mqd_t q = raw_queue(name, 10, 512);
    if (q == kNoQueue) return -2;
    mq_send(q, "world, a longer job", 19, PQ_RANKS - 6);
    mq_send(q, "hello", 5, PQ_RANKS - 1);
    c.send(student_take(q, 64, -1));
    c.send(student_take(q, 6, -1));
    c.send("left " + std::to_string(queued(q)));
    mq_close(q);
    mq_unlink(name.c_str());
    return 0;
  });
  expect::messages(r, {"5 'hello' rank 1", "19 'world' rank 6", "left 0"},
                   {"pq_take(q, buf, 64, &rank, -1) on a queue of mq_msgsize 512 holding \"hello\" at rank 1: "
                    "mq_receive refuses any buffer smaller than mq_msgsize with EMSGSIZE, however short the "
                    "message: receive into a buffer of mq_msgsize bytes (mq_getattr) and copy from it "
                    "(mq_receive(3)); the rank is PQ_RANKS - priority",
                    "pq_take(q, buf, 6, ...) of a 19-byte message: the first 5 bytes and a NUL, and the full "
                    "length 19, as snprintf does",
                    "each pq_take takes exactly one message"});
  expect::clean(r);
}

TEST_CASE("pq_take with timeout 0 fails with EAGAIN at once and leaves the queue blocking",
          "[pq_take][nonblock][pts=2]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    std::string name = unique("nowait");
    mqd_t q = raw_queue(name, 4, 64);
    if (q == kNoQueue) return -2;
    auto taker = child_reporting([q] { return student_take(q, 64, 0); });
    std::string seen = sleeps_in_receive(taker.first);
    if (seen.empty()) kill(taker.first, SIGKILL);
    std::string said = report_of(taker);
    c.send(seen.empty() ? "it slept in mq_receive" : seen == "ended" ? said : seen);
    mq_attr attr{};
    mq_getattr(q, &attr);  // the child shared this open queue description
    c.send((attr.mq_flags & O_NONBLOCK) ? "left non-blocking" : "still blocking");
    mq_close(q);
    mq_unlink(name.c_str());
    return 0;
  });
  expect::messages(r, {"-1 EAGAIN", "still blocking"},
                   {"pq_take(q, buf, 64, nullptr, 0) on an empty queue must not wait: set O_NONBLOCK for that one "
                    "receive (mq_setattr) so that mq_receive fails with EAGAIN (mq_receive(3), mq_setattr(3))",
                    "the O_NONBLOCK set for a take without waiting must be put back: the flag belongs to the open "
                    "queue description, shared with every process and descriptor that has it"});
  expect::clean(r);
}

TEST_CASE("pq_take with a timeout gives up with ETIMEDOUT after it, and takes a message sent meanwhile",
          "[pq_take][timed][pts=2]") {
  auto r = sandbox::call(
      [](sandbox::child& c) -> long {
        std::string name = unique("timed");
        mqd_t q = raw_queue(name, 4, 64);
        if (q == kNoQueue) return -2;
        auto start = std::chrono::steady_clock::now();
        c.send(student_take(q, 64, 200));
        auto waited = std::chrono::steady_clock::now() - start;
        c.send(waited < 190ms ? "too early" : waited > 4s ? "too late" : "on time");
        auto taker = child_reporting([q] { return student_take(q, 64, 8000); });
        std::string seen = sleeps_in_receive(taker.first);
        if (seen.empty()) mq_send(q, "late", 4, PQ_RANKS - 2);
        std::string said = report_of(taker);
        c.send(seen.empty() || seen == "ended" ? said : seen);
        mq_close(q);
        mq_unlink(name.c_str());
        return 0;
      },
      {.wall = 12s});
  expect::messages(r, {"-1 ETIMEDOUT", "on time", "4 'late' rank 2"},
                   {"pq_take(q, buf, 64, nullptr, 200) on an empty queue must fail with ETIMEDOUT",
                    "it must wait about 200 ms: mq_timedreceive takes an absolute CLOCK_REALTIME deadline, now + "
                    "timeout, with tv_nsec below 1000000000 (mq_timedreceive(3))",
                    "a child waiting in pq_take(..., 8000) must take the message sent while it waits"});
  expect::clean(r);
}

TEST_CASE("pq_send_job fails with EMSGSIZE, EAGAIN on a full non-blocking queue, and EINVAL",
          "[pq_send_job][errors][pts=1]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    std::string name = unique("full");
    mqd_t q = raw_queue(name, 2, 8, O_RDWR | O_NONBLOCK);
    if (q == kNoQueue) return -2;
    std::string line;
    auto send = [&](const char* text, int rank) {
      errno = 0;
      line += outcome(STUDENT(pq_send_job)(q, text, rank)) + ", ";
    };
    send("123456789", 1);
    send("one", 1);
    send("two", 2);
    send("three", 3);
    send("x", 0);
    send("x", PQ_RANKS + 1);
    send(nullptr, 1);
    c.send(line + "queued " + std::to_string(queued(q)));
    mq_close(q);
    mq_unlink(name.c_str());
    return 0;
  });
  expect::messages(r, {"-1 EMSGSIZE, 0, 0, -1 EAGAIN, -1 EINVAL, -1 EINVAL, -1 EINVAL, queued 2"},
                   {"on a non-blocking queue of 2 messages of 8 bytes: a 9-byte job (EMSGSIZE), two jobs, a third "
                    "(full: EAGAIN), ranks 0 and PQ_RANKS + 1 and a null text (EINVAL, nothing sent)"});
  expect::clean(r);
}

TEST_CASE("pq_destroy removes the name; a process that has the queue open keeps using it",
          "[pq_destroy][names][pts=2]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    std::string name = unique("destroy");
    mqd_t q = raw_queue(name, 4, 64);
    mqd_t other = mq_open(name.c_str(), O_RDWR);  // as another user of the queue would hold it
    if (q == kNoQueue || other == kNoQueue) return -2;
    errno = 0;
    c.send(outcome(STUDENT(pq_destroy)(q, name.c_str())));
    c.send(queue_named(name) ? "the name is still there" : "the name is gone");
    c.send(fcntl(q, F_GETFD) < 0 ? "descriptor closed" : "descriptor still open");
    char buf[64];
    bool usable = mq_send(other, "on", 2, 0) == 0 && mq_receive(other, buf, sizeof buf, nullptr) == 2;
    c.send(usable ? "still usable" : "unusable");
    errno = 0;
    c.send(outcome(STUDENT(pq_destroy)(other, name.c_str())));
    if (fcntl(other, F_GETFD) == 0) mq_close(other);
    mq_unlink(name.c_str());
    return 0;
  });
  expect::messages(r, {"0", "the name is gone", "descriptor closed", "still usable", "-1 ENOENT"},
                   {"pq_destroy(q, name) must return 0",
                    "mq_open still finds the queue after pq_destroy: mq_close closes a descriptor, the name lives "
                    "on (in /dev/mqueue, with its messages) until mq_unlink removes it (mq_unlink(3), "
                    "mq_overview(7))",
                    "pq_destroy must mq_close the descriptor it is given",
                    "after mq_unlink, a process that still has the queue open goes on using it",
                    "a second pq_destroy of the name: mq_unlink fails with ENOENT"});
  expect::clean(r);
}

TEST_CASE("pq_collect waits for each notification, registers again every round, and takes every message",
          "[pq_collect][notify][pts=3]") {
  auto r = sandbox::call(
      [](sandbox::child& c) -> long {
        std::string name = unique("notify");
        mqd_t q = raw_queue(name, 10, 64);
        if (q == kNoQueue) return -2;
        mq_send(q, "early", 5, 0);  // queued before pq_collect starts
        auto consumer = child_reporting([q] {
          errno = 0;
          long n = STUDENT(pq_collect)(q, 3);
          sigset_t now;
          sigprocmask(SIG_SETMASK, nullptr, &now);
          return "took " + outcome(n, errno) +
                 (sigismember(&now, PQ_NOTIFY_SIGNAL) ? ", signal still blocked" : ", mask restored");
        });
        for (int round = 1; round <= 3; ++round) {
          std::string step = "round " + std::to_string(round) + ": ";
          std::string failed;
          if (std::string seen = notice_wait_of(consumer.first); seen == "ended") {
            failed = "pq_collect ended";
          } else if (seen != "waits") {
            failed = "it never waits for the signal: " + seen;
          } else if (long n = queued(q); n > 0) {
            failed = "it waits while " + std::to_string(n) + " message(s) are queued";
          } else {
            sigevent probe{};
            probe.sigev_notify = SIGEV_NONE;
            if (mq_notify(q, &probe) == 0) {  // then nobody else was registered
              mq_notify(q, nullptr);
              failed = "it waits with no registration in place";
            } else if (errno != EBUSY) {
              failed = "mq_notify: " + outcome(-1, errno);
            }
          }
          if (!failed.empty()) {
            kill(consumer.first, SIGKILL);
            c.send(step + failed);
            skip(c, 3 - round);
            break;
          }
          c.send(step + "registered");
          mq_send(q, "one", 3, 1);  // one message: a second could notify a round early
        }
        c.send(report_of(consumer));
        mq_close(q);
        mq_unlink(name.c_str());
        return 0;
      },
      {.wall = 10s});
  expect::messages(r,
                   {"round 1: registered", "round 2: registered", "round 3: registered", "took 4, mask restored"},
                   {"when pq_collect waits in round 1, its mq_notify registration must be in place (another "
                    "mq_notify then fails with EBUSY), and the message queued before must be taken: a notice comes "
                    "only when a message arrives on an empty queue (mq_notify(3)); it waits asleep until the "
                    "signal comes (sigwaitinfo(), or read() or poll() on a signalfd), never by looking again and "
                    "again",
                    "round 2: a registration is one-shot, removed by the notification it sends: register again in "
                    "every round, before taking what is queued (mq_notify(3))",
                    "round 3: register again, take, wait",
                    "pq_collect(q, 3) must take the 4 messages (1 queued before, 1 per round), then restore the signal mask; killed by SIGUSR1 "
                    "means PQ_NOTIFY_SIGNAL was not blocked (sigprocmask) before registering"});
  expect::clean(r);
}

TEST_CASE("shm_region_create sizes the object before mapping it; a forked child's writes are seen",
          "[shm_region_create][pts=3]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    std::string name = unique("region");
    const size_t size = 3 * 4096 + 100;
    errno = 0;
    auto* p = static_cast<char*>(STUDENT(shm_region_create)(name.c_str(), size));
    if (p == nullptr) {
      c.send(outcome(-1, errno));
      skip(c, 1);
      return 0;
    }
    struct stat st {};
    stat(("/dev/shm" + name).c_str(), &st);
    char mode[8];
    std::snprintf(mode, sizeof mode, "%o", st.st_mode & 0777);
    c.send("size " + std::to_string(shm_size(name)) + ", mode " + mode);
    auto writer = child_reporting([p, size] {
      p[0] = 'A';  // beyond the object's end this raises SIGBUS
      p[size - 1] = 'Z';
      return std::string("wrote");
    });
    std::string said = report_of(writer);
    bool zeros = true;
    if (said == "wrote")
      for (size_t i = 1; i + 1 < size; ++i) zeros = zeros && p[i] == 0;
    c.send(said != "wrote" ? said
                           : std::string("the parent read ") + p[0] + "..." + p[size - 1] +
                                 (zeros ? ", zero-filled" : ", not zero-filled"));
    munmap(p, size);
    shm_unlink(name.c_str());
    return 0;
  });
  expect::messages(r, {"size 12388, mode 600", "the parent read A...Z, zero-filled"},
                   {"the object's size in /dev/shm after shm_region_create(name, 12388): a new object is 0 bytes "
                    "long until ftruncate(fd, size) gives it a size; touching a mapping beyond the object's end "
                    "raises SIGBUS (shm_open(3), mmap(2))",
                    "a child forked after shm_region_create writes the first and last bytes; the parent must see "
                    "them: MAP_SHARED, and the whole size mapped"});
  expect::clean(r);
}

TEST_CASE("shm_region_open maps an existing object by name with its size, and refuses missing or empty ones",
          "[shm_region_open][pts=2]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    std::string name = unique("open"), empty = unique("empty"), missing = unique("missing");
    int fd = shm_open(name.c_str(), O_CREAT | O_EXCL | O_RDWR, 0600);
    int efd = shm_open(empty.c_str(), O_CREAT | O_EXCL | O_RDWR, 0600);
    if (fd < 0 || efd < 0 || ftruncate(fd, 5000) < 0) return -2;
    auto* p = static_cast<char*>(mmap(nullptr, 5000, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0));
    close(fd);
    close(efd);
    if (p == MAP_FAILED) return -2;
    std::strcpy(p, "hello");
    auto reader = child_reporting([&name] {
      size_t size = 0;
      errno = 0;
      auto* q = static_cast<char*>(STUDENT(shm_region_open)(name.c_str(), &size));
      if (q == nullptr) return outcome(-1, errno);
      std::string seen = "size " + std::to_string(size) + ", read " + std::string(q, strnlen(q, 16));
      std::strcpy(q + 100, "world");
      return seen;
    });
    c.send(report_of(reader));
    c.send(std::string("the creator read ") + (p + 100));
    for (const std::string& bad : {missing, empty}) {
      size_t size = 77;
      errno = 0;
      void* q = STUDENT(shm_region_open)(bad.c_str(), &size);
      c.send(outcome(q == nullptr ? -1 : 0, errno) + ", size " + std::to_string(size));
    }
    munmap(p, 5000);
    shm_unlink(name.c_str());
    shm_unlink(empty.c_str());
    return 0;
  });
  expect::messages(r, {"size 5000, read hello", "the creator read world", "-1 ENOENT, size 77", "-1 EINVAL, size 77"},
                   {"shm_region_open in another process: the size comes from fstat on the descriptor shm_open gave, "
                    "the mapping from mmap(MAP_SHARED) of all of it",
                    "what the other process wrote at offset 100 must reach the creator's mapping (MAP_SHARED)",
                    "a name nobody created: shm_open fails with ENOENT; size untouched",
                    "an object of size 0 has nothing to map: EINVAL, size untouched"});
  expect::clean(r);
}

TEST_CASE("shm_region_create refuses bad names and sizes with EINVAL, and an existing name with EEXIST",
          "[shm_region_create][errors][names][pts=2]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    std::string taken = unique("taken"), slashless = unique("noslash").substr(1), two = unique("two") + "/x";
    int fd = shm_open(taken.c_str(), O_CREAT | O_EXCL | O_RDWR, 0600);
    if (fd < 0 || ftruncate(fd, 100) < 0 || pwrite(fd, "keep", 4, 0) != 4) return -2;
    close(fd);
    std::string line;
    for (auto [name, size] : {std::pair<const char*, size_t>{slashless.c_str(), 4096}, {two.c_str(), 4096},
                              {"/", 4096}, {nullptr, 4096}, {taken.c_str(), 0}, {taken.c_str(), 4096}}) {
      errno = 0;
      void* p = STUDENT(shm_region_create)(name, size);
      line += outcome(p == nullptr ? -1 : 0, errno) + ", ";
      if (p != nullptr) munmap(p, size);
    }
    if (shm_size("/" + slashless) >= 0) line += "/dev/shm/" + slashless + " was created, ";
    char keep[5] = {};
    fd = shm_open(taken.c_str(), O_RDONLY, 0);
    line += "the existing object: size " + std::to_string(shm_size(taken)) +
            (fd >= 0 && pread(fd, keep, 4, 0) == 4 ? std::string(", ") + keep : ", unreadable");
    if (fd >= 0) close(fd);
    c.send(line);
    shm_unlink(taken.c_str());
    shm_unlink(("/" + slashless).c_str());
    return 0;
  });
  expect::messages(r,
                   {"-1 EINVAL, -1 EINVAL, -1 EINVAL, -1 EINVAL, -1 EINVAL, -1 EEXIST, "
                    "the existing object: size 100, keep"},
                   {"names \"ipclab-noslash...\" (no leading slash: glibc's shm_open forgives it, the contract and "
                    "other systems do not: check the leading slash yourself), \"/ipclab-two.../x\", \"/\", null, a "
                    "size of 0; then an existing name, which must fail with EEXIST (O_CREAT | O_EXCL) and stay as it "
                    "was: never ftruncate an object you did not create"});
  expect::clean(r);
}

TEST_CASE("a region outlives its creator until shm_region_remove; mappings survive the removal",
          "[shm_region_remove][names][pts=2]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    std::string name = unique("persist");
    auto creator = child_reporting([&name] {
      auto* p = static_cast<char*>(STUDENT(shm_region_create)(name.c_str(), 4096));
      if (p == nullptr) return "shm_region_create: " + outcome(-1, errno);
      std::strcpy(p, "kept");
      return std::string();  // exits without unmapping or removing
    });
    std::string said = report_of(creator);
    if (!said.empty()) {
      c.send(said);
      skip(c, 4);
      return 0;
    }
    int fd = shm_open(name.c_str(), O_RDONLY, 0);
    if (fd < 0) return -2;
    auto* p = static_cast<char*>(mmap(nullptr, 4096, PROT_READ, MAP_SHARED, fd, 0));
    close(fd);
    if (p == MAP_FAILED) return -2;
    c.send(std::string("after its creator exited: ") + p);
    errno = 0;
    c.send(outcome(STUDENT(shm_region_remove)(name.c_str())));
    c.send(shm_size(name) >= 0 ? "the name is still there" : "the name is gone");
    c.send(std::string("the mapping still reads ") + p);
    errno = 0;
    c.send(outcome(STUDENT(shm_region_remove)(name.c_str())));
    munmap(p, 4096);
    shm_unlink(name.c_str());
    return 0;
  });
  expect::messages(r,
                   {"after its creator exited: kept", "0", "the name is gone", "the mapping still reads kept",
                    "-1 ENOENT"},
                   {"a shared memory object lives until its name is removed, not until its creator exits (kernel "
                    "persistence, shm_overview(7))",
                    "shm_region_remove(name) must return 0",
                    "/dev/shm still holds the object after shm_region_remove: munmap and exit only drop mappings; "
                    "only shm_unlink removes the name (shm_unlink(3))",
                    "a mapping made before shm_unlink stays valid: the memory goes with the last mapping",
                    "a second shm_region_remove: shm_unlink fails with ENOENT"});
  expect::clean(r);
}
