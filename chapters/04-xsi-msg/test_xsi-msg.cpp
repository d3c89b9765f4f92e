// Chapter 04 — XSI message queues: the graded tests. Each TEST_CASE carries its points.
//
// The bodies talk to the student's functions through queues they make and
// inspect with the raw calls (msgget/msgsnd/msgrcv/msgctl), so each test
// judges one function. Each body removes what it made itself; whatever is
// left was left by the student's code, and expect::clean() says so.
#include <fcntl.h>
#include <linux/capability.h>
#include <sched.h>
#include <signal.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "ipclab/check.hpp"
#include "ipclab/die.hpp"
#include "ipclab/expect.hpp"
#include "ipclab/observe.hpp"
#include "ipclab/sandbox.hpp"
#include "xsi-msg.hpp"

namespace sandbox = ipclab::sandbox;
namespace expect = ipclab::expect;
using namespace std::chrono_literals;

namespace {

// ---- raw queue operations, for the test's own side (inside a body) ----

int raw_queue(int perms = 0600) {
  return ipclab::check_unix(msgget(IPC_PRIVATE, IPC_CREAT | perms), "msgget(IPC_PRIVATE)");
}

void raw_send(int id, long type, const std::string& payload) {
  std::vector<char> buf(sizeof(long) + payload.size());
  std::memcpy(buf.data(), &type, sizeof type);
  std::memcpy(buf.data() + sizeof type, payload.data(), payload.size());
  ipclab::check_unix(msgsnd(id, buf.data(), payload.size(), IPC_NOWAIT), "msgsnd()");
}

/// @p bytes with every byte outside printable ASCII written as \xNN, so a
/// garbled payload reads plainly in a failure message.
std::string show(const std::string& bytes) {
  std::string out;
  for (unsigned char ch : bytes) {
    if (ch >= 0x20 && ch < 0x7f) {
      out += static_cast<char>(ch);
    } else {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02x", ch);
      out += hex;
    }
  }
  return out;
}

/// "type:payload" of the message msgrcv(type, flags) takes, or "-1 ERRNO".
std::string raw_take(int id, long type, int flags = IPC_NOWAIT) {
  std::vector<char> buf(sizeof(long) + 4096);
  ssize_t n = msgrcv(id, buf.data(), 4096, type, flags);
  if (n < 0) return std::string("-1 ") + ipclab::errno_name(errno);
  long got = 0;
  std::memcpy(&got, buf.data(), sizeof got);
  return std::to_string(got) + ":" + show(std::string(buf.data() + sizeof(long), static_cast<size_t>(n)));
}

msqid_ds raw_stat(int id) {
  msqid_ds ds{};
  ipclab::check_unix(msgctl(id, IPC_STAT, &ds), "msgctl(IPC_STAT)");
  return ds;
}

void raw_remove(int id) { ipclab::check_unix(msgctl(id, IPC_RMID, nullptr), "msgctl(IPC_RMID)"); }

std::string failure(long rc) {
  return std::to_string(rc) + " " + (rc < 0 ? ipclab::errno_name(errno) : "(no error)");
}

/// What the student's mbox_recv returned, as "type:payload" or "-1 ERRNO".
std::string student_take(int id, long type, size_t cap = 256, int flags = IPC_NOWAIT) {
  std::vector<char> buf(cap + 1);
  long got = -99;
  errno = 0;
  ssize_t n = STUDENT(mbox_recv)(id, type, &got, buf.data(), cap, flags);
  if (n < 0) return failure(n);
  if (static_cast<size_t>(n) > cap) return "a length of " + std::to_string(n) + " with cap " + std::to_string(cap);
  return std::to_string(got) + ":" + show(std::string(buf.data(), static_cast<size_t>(n)));
}

/// A fresh file in the call's private /tmp, for ftok().
struct key_file {
  std::string path = "/tmp/xsi-msg.key";
  key_file() {
    int fd = ipclab::check_unix(open(path.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0600), "open(key)");
    close(fd);
  }
  ~key_file() { unlink(path.c_str()); }
  key_t key(int proj) const { return ipclab::check_unix(ftok(path.c_str(), proj), "ftok()"); }
};

/// Permission checks only bite without CAP_IPC_OWNER, which a run inside a
/// user namespace would hold: give up every capability.
void drop_capabilities() {
  __user_cap_header_struct head{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2] = {};
  ipclab::check_unix(syscall(SYS_capset, &head, data), "capset()");
}

/// Waits, without sleeping, until @p pid is blocked inside msgrcv() (true),
/// or has ended (false; it is not reaped).
bool blocked_in_msgrcv(pid_t pid) {
  for (;;) {
    if (ipclab::observe::blocked_call(pid).first == SYS_msgrcv) return true;
    siginfo_t info{};
    if (waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid)
      return false;
    sched_yield();
  }
}

/// Forks a child that runs the student's blocking mbox_recv(id, type) and
/// sends its outcome (after whatever the parent sent before reaping it).
pid_t blocked_receiver(sandbox::child& c, int id, long type) {
  pid_t pid = ipclab::check_unix(fork(), "fork()");
  if (pid == 0) {
    c.send(student_take(id, type, 256, 0));
    _exit(0);
  }
  return pid;
}

/// Everything a finished child wrote to @p fd (the write end is closed).
std::string read_all(int fd) {
  std::string out;
  char buf[512];
  for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;) out.append(buf, static_cast<size_t>(n));
  return out;
}

void reap(pid_t pid) {
  int st = 0;
  while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
  }
}

/// A request as a client sends it: the client's pid, then the text.
std::string request(pid_t client, const std::string& text) {
  std::string out(reinterpret_cast<const char*>(&client), sizeof client);
  return out + text;
}

/// Queues @p queued with the raw calls, reports what the student's
/// mbox_recv(type, IPC_NOWAIT) takes for each of @p types, then "left:" and
/// what remains on the queue.
sandbox::result take_in_turn(std::vector<std::pair<long, std::string>> queued, std::vector<long> types,
                             sandbox::limits lim = {}) {
  return sandbox::call(
      [&](sandbox::child& c) -> long {
        int id = raw_queue();
        for (const auto& [type, payload] : queued) raw_send(id, type, payload);
        for (long t : types) c.send(student_take(id, t));
        std::string left = "left:";
        for (std::string m; (m = raw_take(id, 0)).rfind("-1 ", 0) != 0;) left += " " + m;
        c.send(left);
        raw_remove(id);
        return 0;
      },
      lim);
}

}  // namespace

TEST_CASE("mbox_open creates the queue of ftok(path, proj_id) with exactly the bits asked",
          "[open][perms][pts=3]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    key_file file;
    for (auto [proj, perms] : {std::pair{1, 0600}, {2, 0640}, {3, 0604}}) {
      errno = 0;
      int id = STUDENT(mbox_open)(file.path.c_str(), proj, perms);
      if (id < 0) {
        c.send(failure(id));
        continue;
      }
      msqid_ds ds{};
      if (msgctl(id, IPC_STAT, &ds) < 0) {
        c.send(std::string("a queue whose mode refuses even its owner: IPC_STAT failed with ") +
               ipclab::errno_name(errno));
      } else {
        char mode[8];
        std::snprintf(mode, sizeof mode, "%o", ds.msg_perm.mode & 0777);
        c.send(std::string(ds.msg_perm.__key == file.key(proj) ? "key ok" : "another key") + " mode " + mode);
      }
      raw_remove(id);
    }
    return 0;
  });
  expect::messages(r, {"key ok mode 600", "key ok mode 640", "key ok mode 604"},
                   {"mbox_open(path, 1, 0600): the queue's key must be ftok(path, 1) and its mode 0600 "
                    "(pass IPC_CREAT | perms to msgget, APUE 15.6.2)",
                    "mbox_open(path, 2, 0640)", "mbox_open(path, 3, 0604)"});
  expect::clean(r);
}

TEST_CASE("mbox_open twice opens the same queue and keeps its bits; another proj_id, another queue",
          "[open][pts=2]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    key_file file;
    int first = STUDENT(mbox_open)(file.path.c_str(), 9, 0660);
    if (first < 0) return first;
    int again = STUDENT(mbox_open)(file.path.c_str(), 9, 0600);
    int other = STUDENT(mbox_open)(file.path.c_str(), 10, 0660);
    c.send(again == first ? "same" : "different: " + failure(again));
    c.send(other >= 0 && other != first ? "another" : "not another: " + failure(other));
    char mode[8];
    std::snprintf(mode, sizeof mode, "%o", raw_stat(first).msg_perm.mode & 0777);
    c.send(mode);
    raw_remove(first);
    if (other >= 0 && other != first) raw_remove(other);
    return 0;
  });
  expect::messages(r, {"same", "another", "660"},
                   {"opening the same path and proj_id again must give the same identifier "
                    "(IPC_CREAT without IPC_EXCL opens an existing queue)",
                    "another proj_id makes another key, so another queue",
                    "opening an existing queue must not change its permission bits"});
  expect::clean(r);
}

TEST_CASE("the bits are enforced: a 0400 queue refuses senders and a 0200 queue receivers (EACCES)",
          "[open][perms][pts=2]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    drop_capabilities();
    key_file file;
    int ro = STUDENT(mbox_open)(file.path.c_str(), 1, 0400);
    if (ro < 0) return ro;
    long type = 1;
    errno = 0;
    c.send(failure(msgsnd(ro, &type, 0, IPC_NOWAIT)));
    errno = 0;
    c.send(failure(STUDENT(mbox_open)(file.path.c_str(), 1, 0600)));
    int wo = STUDENT(mbox_open)(file.path.c_str(), 2, 0200);
    if (wo >= 0) {
      c.send(raw_take(wo, 0));
      raw_remove(wo);
    }
    raw_remove(ro);
    return 0;
  });
  expect::messages(r, {"-1 EACCES", "-1 EACCES", "-1 EACCES"},
                   {"msgsnd() by the owner on a queue made with perms 0400 (read only): the bits come from msgget's "
                    "flags (APUE 15.6.3)",
                    "mbox_open(path, 1, 0600) on that existing 0400 queue asks to write too: msgget "
                    "checks the asked bits against the queue's and says EACCES",
                    "msgrcv() by the owner on a queue made with perms 0200 (write only)"});
  expect::clean(r);
}

TEST_CASE("mbox_open rejects bad arguments with EINVAL, a missing file with ENOENT, and creates nothing",
          "[open][errors][pts=2]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    key_file file;
    const char* p = file.path.c_str();
    struct {
      const char* path;
      int proj, perms;
    } cases[] = {{nullptr, 1, 0600}, {p, 0, 0600}, {p, 256, 0600}, {p, 1, 0700},
                 {p, 1, 01666}, {"/tmp/no-such-key-file", 1, 0600}};
    for (auto& k : cases) {
      errno = 0;
      c.send(failure(STUDENT(mbox_open)(k.path, k.proj, k.perms)));
    }
    return 0;
  });
  expect::messages(r, {"-1 EINVAL", "-1 EINVAL", "-1 EINVAL", "-1 EINVAL", "-1 EINVAL", "-1 ENOENT"},
                   {"a null path", "proj_id 0", "proj_id 256 (ftok keeps only 8 bits)",
                    "perms 0700 (execute means nothing for a queue)", "perms 01666",
                    "a path that does not exist: ftok() fails, pass its errno on"});
  expect::clean(r);
}

TEST_CASE("mbox_send queues one message of that type whose length counts the payload only",
          "[send][pts=3]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    int id = raw_queue();
    errno = 0;
    c.send(failure(STUDENT(mbox_send)(id, 7, "hello", 5)));
    c.send("bytes " + std::to_string(raw_stat(id).msg_cbytes));
    c.send(raw_take(id, 0));
    errno = 0;
    c.send(failure(STUDENT(mbox_send)(id, 3, nullptr, 0)));
    c.send(raw_take(id, 0));
    for (long bad : {0L, -2L}) {
      errno = 0;
      c.send(failure(STUDENT(mbox_send)(id, bad, "x", 1)));
    }
    c.send("left " + std::to_string(raw_stat(id).msg_qnum));
    raw_remove(id);
    return 0;
  });
  expect::messages(r, {"0 (no error)", "bytes 5", "7:hello", "0 (no error)", "3:", "-1 EINVAL", "-1 EINVAL", "left 0"},
                   {"mbox_send(id, 7, \"hello\", 5)",
                    "the queue must hold 5 bytes: msgsnd's size is the payload's, without the long mtype (APUE 15.7)",
                    "the message taken back: type 7, payload \"hello\"",
                    "mbox_send(id, 3, nullptr, 0): an empty message is a message",
                    "the empty message taken back", "type 0 is not a message type",
                    "a negative type is not a message type", "nothing queued by the bad sends"});
  expect::clean(r);
}

TEST_CASE("type 0 takes the oldest message, whatever its type", "[recv][types][pts=2]") {
  auto r = take_in_turn({{3, "first"}, {1, "second"}, {2, "third"}}, {0, 0, 0});
  expect::messages(r, {"3:first", "1:second", "2:third", "left:"},
                   {"type 0 takes the queue's first message (and reports its type through got_type): pass type to "
                    "msgrcv unchanged (APUE 15.7)",
                    "then the next one, in the order they were sent", "then the last", "nothing left"});
  expect::clean(r);
}

TEST_CASE("a positive type takes the oldest message of exactly that type", "[recv][types][pts=3]") {
  auto r = take_in_turn({{2, "a"}, {1, "b"}, {2, "c"}, {3, "d"}}, {2, 3, 2, 1});
  expect::messages(r, {"2:a", "3:d", "2:c", "1:b", "left:"},
                   {"type 2: the oldest message of type 2 (APUE 15.7, the type argument of msgrcv)",
                    "type 3: skips older messages of other types", "type 2 again: the next of type 2",
                    "type 1: the one left", "nothing left"});
  expect::clean(r);
}

TEST_CASE("a negative type takes the lowest type <= |type| first: priorities", "[recv][types][pts=3]") {
  auto r = take_in_turn({{5, "low"}, {3, "mid-1"}, {9, "too low to see"}, {1, "urgent"}, {3, "mid-2"}},
                        {-5, -5, -5, -5, -5});
  expect::messages(r, {"1:urgent", "3:mid-1", "3:mid-2", "5:low", "-1 ENOMSG", "left: 9:too low to see"},
                   {"type -5 takes the lowest type first, even if it came last (APUE 15.7)",
                    "then the oldest of the next lowest type", "then the other of that type", "then type 5",
                    "type 9 is above 5: with IPC_NOWAIT, nothing matches (ENOMSG)",
                    "the type-9 message must still be queued"});
  expect::clean(r);
}

TEST_CASE("IPC_NOWAIT with nothing to take fails with ENOMSG at once", "[recv][nowait][pts=2]") {
  auto empty = take_in_turn({}, {0}, {.wall = 2s});
  expect::messages(empty, {"-1 ENOMSG", "left:"}, {"an empty queue with IPC_NOWAIT (pass flags on to msgrcv; APUE 15.7)",
                                                   "nothing left"});
  expect::clean(empty);
  auto r = take_in_turn({{2, "kept"}}, {5, -1}, {.wall = 2s});
  expect::messages(r, {"-1 ENOMSG", "-1 ENOMSG", "left: 2:kept"},
                   {"type 5 when only a type-2 message waits", "type -1 when only a type-2 message waits",
                    "the type-2 message must still be there"});
  expect::clean(r);
}

TEST_CASE("a message longer than cap: E2BIG leaves it queued, MSG_NOERROR cuts it to cap",
          "[recv][size][pts=3]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    int id = raw_queue();
    std::string big = "0123456789abcdefghijklmnopqrstuvwxyz";
    raw_send(id, 4, big);
    c.send(student_take(id, 0, 10));
    c.send("queued " + std::to_string(raw_stat(id).msg_qnum));
    c.send(student_take(id, 0, 10, IPC_NOWAIT | MSG_NOERROR));
    c.send("queued " + std::to_string(raw_stat(id).msg_qnum));
    raw_send(id, 4, "0123456789");
    c.send(student_take(id, 0, 10));
    raw_send(id, 4, "0123456789ab");
    c.send(student_take(id, 0, 10));
    raw_remove(id);
    return 0;
  });
  expect::messages(r, {"-1 E2BIG", "queued 1", "4:0123456789", "queued 0", "4:0123456789", "-1 E2BIG"},
                   {"36 bytes into cap 10 without MSG_NOERROR: msgrcv's size is the room for the payload, not "
                    "counting the long (APUE 15.7)",
                    "after E2BIG the message stays on the queue",
                    "with MSG_NOERROR: the first 10 bytes", "with MSG_NOERROR the message is consumed",
                    "exactly cap bytes fit: no E2BIG",
                    "12 bytes into cap 10: E2BIG. A message up to sizeof(long) bytes longer than cap got in: "
                    "msgrcv's size argument counted the long mtype (pass cap, not cap + sizeof(long); "
                    "APUE 15.7)"});
  expect::clean(r);
}

TEST_CASE("a blocked receive waits for its own type and takes it when it arrives",
          "[recv][blocking][pts=2]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    int id = raw_queue();
    pid_t pid = blocked_receiver(c, id, 5);
    bool waited = blocked_in_msgrcv(pid);
    c.send(waited ? "waits" : "did not wait");
    if (waited) {
      raw_send(id, 4, "not for it");
      raw_send(id, 5, "for it");
    }
    reap(pid);
    c.send(raw_take(id, 0));
    raw_remove(id);
    return 0;
  });
  expect::messages(r, {"waits", "5:for it", "4:not for it"},
                   {"without IPC_NOWAIT, mbox_recv on an empty queue must block in msgrcv",
                    "it wakes for the message of its type 5 only", "the type-4 message stays queued"});
  expect::clean(r);
}

TEST_CASE("a receiver blocked when the queue is removed fails with EIDRM", "[recv][eidrm][pts=3]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    int id = raw_queue();
    pid_t pid = blocked_receiver(c, id, 0);
    bool waited = blocked_in_msgrcv(pid);
    c.send(waited ? "waits" : "did not wait");
    raw_remove(id);
    reap(pid);
    return 0;
  });
  expect::messages(r, {"waits", "-1 EIDRM"},
                   {"mbox_recv on an empty queue must block in msgrcv",
                    "removing the queue wakes every waiter with EIDRM: return -1 and keep that errno "
                    "(do not retry, do not map it to another error; APUE 15.7)"});
  expect::clean(r);
}

TEST_CASE("mbox_count reports how many messages wait, from IPC_STAT", "[count][pts=1]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    int id = raw_queue();
    c.send(failure(STUDENT(mbox_count)(id)));
    for (const char* m : {"a", "b", "c"}) raw_send(id, 1, m);
    c.send(failure(STUDENT(mbox_count)(id)));
    raw_take(id, 0);
    c.send(failure(STUDENT(mbox_count)(id)));
    raw_remove(id);
    errno = 0;
    c.send(failure(STUDENT(mbox_count)(id)));
    return 0;
  });
  expect::messages(r, {"0 (no error)", "3 (no error)", "2 (no error)", "-1 EINVAL"},
                   {"an empty queue: msg_qnum of msgctl(IPC_STAT) is 0 (APUE 15.7, struct msqid_ds)",
                    "after three sends",
                    "after one receive", "a removed queue: msgctl fails with EINVAL"});
  expect::clean(r);
}

TEST_CASE("mbox_remove removes the queue: its id is dead and nothing is left", "[remove][pts=2]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    int id = raw_queue();
    raw_send(id, 1, "discarded");
    errno = 0;
    c.send(failure(STUDENT(mbox_remove)(id)));
    msqid_ds ds{};
    errno = 0;
    c.send(failure(msgctl(id, IPC_STAT, &ds)));
    errno = 0;
    c.send(failure(STUDENT(mbox_remove)(id)));
    return 0;
  });
  expect::messages(r, {"0 (no error)", "-1 EINVAL", "-1 EINVAL"},
                   {"mbox_remove(id) on a queue holding a message: msgctl(id, IPC_RMID, nullptr) (APUE 15.7)",
                    "after removal the id is dead",
                    "removing it again: msgctl(IPC_RMID) fails with EINVAL"});
  expect::clean(r);
}

TEST_CASE("mbox_serve answers each request upper-cased, addressed to the client's pid",
          "[server][pts=3]") {
  auto r = sandbox::call(
      [](sandbox::child& c) -> long {
        int id = raw_queue();
        raw_send(id, 50, "not a request");
        raw_send(id, MBOX_REQUEST, request(1001, "hello"));
        raw_send(id, MBOX_REQUEST, "xy");  // too short to hold a pid
        raw_send(id, MBOX_REQUEST, request(1002, "Mixed Case 42!"));
        raw_send(id, MBOX_REQUEST, request(1003, ""));
        raw_send(id, MBOX_REQUEST, request(1004, "left for later"));
        errno = 0;
        c.send(failure(STUDENT(mbox_serve)(id, 3)));
        for (long t : {1001L, 1002L, 1003L}) c.send(raw_take(id, t));
        bool kept = raw_take(id, MBOX_REQUEST) == "1:" + show(request(1004, "left for later"));
        c.send(kept ? "fourth kept" : "fourth gone");
        c.send(raw_take(id, 0));
        c.send(raw_take(id, 0));
        raw_remove(id);
        return 0;
      },
      {.wall = 3s});
  expect::messages(r,
                   {"0 (no error)", "1001:HELLO", "1002:MIXED CASE 42!", "1003:", "fourth kept",
                    "50:not a request", "-1 ENOMSG"},
                   {"mbox_serve(id, 3) with four good requests, one malformed and one other message queued",
                    "the reply to client 1001: type 1001, its text upper-cased, no NUL",
                    "the reply to client 1002 (only ASCII a-z change)", "an empty text gets an empty reply",
                    "a server asked for 3 answers must leave the 4th request queued (and skip the malformed one "
                    "without counting it)",
                    "receive requests by type MBOX_REQUEST: other messages stay", "nothing else on the queue"});
  expect::clean(r);
}

TEST_CASE("mbox_call sends {pid, text} as a request and takes only the reply addressed to it",
          "[client][pts=3]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    int id = raw_queue();
    raw_send(id, 3, "not yours");
    char reply[64];
    std::memset(reply, 'Z', sizeof reply);  // no NUL unless mbox_call writes one
    std::string too_long(MBOX_TEXT_MAX + 1, 'x');
    errno = 0;
    c.send(failure(STUDENT(mbox_call)(id, too_long.c_str(), reply, sizeof reply)));
    errno = 0;
    c.send(failure(STUDENT(mbox_call)(id, "hello", reply, 5)));
    c.send("queued " + std::to_string(raw_stat(id).msg_qnum));
    int p[2];
    ipclab::check_unix(pipe(p), "pipe()");
    pid_t server = ipclab::check_unix(fork(), "fork()");
    if (server == 0) {  // a reference server that reports what it received
      struct {
        long type;
        mbox_request req;
      } in{};
      ssize_t n = msgrcv(id, &in, sizeof in.req, MBOX_REQUEST, 0);
      if (n < 0) _exit(1);
      std::string seen = std::string("client ") + (in.req.client == getppid() ? "is the caller" : "is not the caller") +
                         ", " + std::to_string(n) + " bytes";
      if (write(p[1], seen.data(), seen.size()) < 0) _exit(1);
      std::string text(in.req.text, static_cast<size_t>(std::max<ssize_t>(n - 4, 0)));
      for (char& ch : text) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      try {
        raw_send(id, in.req.client, text);
      } catch (...) {
        _exit(1);
      }
      _exit(0);
    }
    close(p[1]);
    errno = 0;
    ssize_t n = STUDENT(mbox_call)(id, "ping me", reply, sizeof reply);
    c.send(n < 0 ? failure(n) : std::to_string(n) + " " + show(std::string(reply, strnlen(reply, sizeof reply))));
    c.send("queued " + std::to_string(raw_stat(id).msg_qnum));
    raw_remove(id);  // wakes the server if it still waits
    c.send(read_all(p[0]));
    reap(server);
    close(p[0]);
    return 0;
  });
  expect::messages(r,
                   {"-1 EINVAL", "-1 EINVAL", "queued 1", "7 PING ME", "queued 1",
                    "client is the caller, 11 bytes"},
                   {"a text longer than MBOX_TEXT_MAX", "cap 5 for \"hello\": no room for the reply and its NUL",
                    "nothing may be sent when the arguments are bad",
                    "mbox_call(id, \"ping me\", reply, 64): the reply's length, and the reply NUL-terminated; "
                    "a type-3 message queued first is not the reply: receive by type getpid(), not 0",
                    "take the reply by type getpid(): the other message must stay queued",
                    "the request: client = getpid(), then the 7 text bytes without NUL (4 + 7 bytes)"});
  expect::clean(r);
}

TEST_CASE("one server, eight clients: every reply reaches the client that asked",
          "[client-server][pts=3]") {
  constexpr int clients = 8;
  auto r = sandbox::call(
      [](sandbox::child& c) -> long {
        int id = raw_queue();
        int p[2];
        ipclab::check_unix(pipe(p), "pipe()");
        std::vector<pid_t> pids;
        for (int i = 0; i < clients; ++i) {
          pid_t pid = ipclab::check_unix(fork(), "fork()");
          if (pid == 0) {
            std::string text = "client " + std::to_string(i) + " asks";
            char reply[128];
            std::memset(reply, 'Z', sizeof reply);  // no NUL unless mbox_call writes one
            ssize_t n = STUDENT(mbox_call)(id, text.c_str(), reply, sizeof reply);
            std::string got = n < 0 ? failure(n) : show(std::string(reply, strnlen(reply, sizeof reply)));
            std::string line = std::to_string(i) + ": " + got + "\n";
            _exit(write(p[1], line.data(), line.size()) < 0 ? 1 : 0);
          }
          pids.push_back(pid);
        }
        close(p[1]);
        // The server starts once every client waits for its reply, all eight
        // requests queued: a client that would take any message takes one of
        // them instead, every time.
        std::string waiting = "every client waits";
        for (int i = clients - 1; i >= 0; --i)
          if (!blocked_in_msgrcv(pids[static_cast<std::size_t>(i)]))
            waiting = "client " + std::to_string(i) + " ended without waiting for its reply";
        c.send(waiting);
        int st = 1 << 8;  // "exited with 1" until a server ran
        if (waiting == "every client waits") {
          pid_t server = ipclab::check_unix(fork(), "fork()");
          if (server == 0) _exit(STUDENT(mbox_serve)(id, clients) == 0 ? 0 : 1);
          while (waitpid(server, &st, 0) < 0 && errno == EINTR) {
          }
        }
        c.send(WIFEXITED(st) && WEXITSTATUS(st) == 0 ? "served" : "the server failed or never started");
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) raw_remove(id);  // frees waiting clients (EIDRM)
        std::string lines = read_all(p[0]);
        for (pid_t pid : pids) reap(pid);
        close(p[0]);
        std::vector<std::string> got(clients, "no reply");
        for (std::size_t at = 0, nl; (nl = lines.find('\n', at)) != std::string::npos; at = nl + 1) {
          std::string line = lines.substr(at, nl - at);
          int i = std::atoi(line.c_str());
          if (i >= 0 && i < clients) got[static_cast<std::size_t>(i)] = line;
        }
        for (const auto& g : got) c.send(g);
        if (WIFEXITED(st) && WEXITSTATUS(st) == 0) raw_remove(id);
        return 0;
      },
      {.wall = 10s});
  std::vector<std::string> want{"every client waits", "served"},
      what{"each mbox_call sends its request, then waits in msgrcv for the reply typed with its pid: with the "
           "other clients' requests queued, a receive by type 0 takes one of them, not a reply",
           "mbox_serve(id, 8) in one process must return 0"};
  for (int i = 0; i < clients; ++i) {
    want.push_back(std::to_string(i) + ": CLIENT " + std::to_string(i) + " ASKS");
    what.push_back("client " + std::to_string(i) + " must get its own reply (addressed by its pid)");
  }
  expect::messages(r, want, what);
  expect::clean(r);
}

TEST_CASE("a whole session through ftok leaves nothing behind: the queue is removed at the end",
          "[cleanup][pts=2]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    key_file file;
    int id = STUDENT(mbox_open)(file.path.c_str(), 4, 0600);
    if (id < 0) return id;
    errno = 0;
    c.send(failure(STUDENT(mbox_send)(id, 2, "bye", 3)));
    c.send(student_take(id, 0));
    errno = 0;
    c.send(failure(STUDENT(mbox_remove)(id)));
    errno = 0;
    c.send(failure(msgget(file.key(4), 0)));
    return 0;
  });
  expect::messages(r, {"0 (no error)", "2:bye", "0 (no error)", "-1 ENOENT"},
                   {"mbox_send(id, 2, \"bye\", 3)", "mbox_recv takes it back", "mbox_remove(id)",
                    "after mbox_remove, no queue has the key any more: msgget(key, 0) says ENOENT"});
  expect::clean(r);
}

namespace {

// What the interrupt's handler sends: prepared before the call blocks.
struct {
  long type;
  char text[sizeof(mbox_request)];
} held_back{};
size_t held_back_len = 0;
int held_back_queue = -1;
void send_held_back() { msgsnd(held_back_queue, &held_back, held_back_len, IPC_NOWAIT); }

/// The message the interrupt's handler will send to queue @p id.
void hold_back(int id, long type, const std::string& payload) {
  held_back_queue = id;
  held_back.type = type;
  held_back_len = payload.size();
  std::memcpy(held_back.text, payload.data(), payload.size());
  sandbox::interruptible(send_held_back);
}

/// The call was interrupted in msgrcv; else says which function never blocked.
void require_interrupted(const sandbox::result& r, const std::string& fn) {
  if (!r.interrupted)
    FAIL(fn << " never blocked in msgrcv(), so the test could not interrupt it; it " << r.story());
  if (r.returned() && r.value == -1 && r.error == EINTR)
    FAIL(fn << " returned -1 with EINTR: a signal interrupted its msgrcv(); the contract says it restarts "
               "the wait (loop while msgrcv fails with EINTR; APUE 10.5, 15.7)");
}

sandbox::limits interrupt_in_msgrcv() {
  sandbox::limits lim{.wall = 3s};
  lim.interrupt.syscalls = {SYS_msgrcv};
  return lim;
}

}  // namespace

TEST_CASE("mbox_call and mbox_serve restart a wait a signal interrupted", "[client][server][eintr][pts=2]") {
  // The awaited message is sent only by the signal's handler: the signal
  // always finds the call waiting in msgrcv.
  auto call = sandbox::call(
      [](sandbox::child& c) -> long {
        int id = raw_queue();
        hold_back(id, getpid(), "PONG");
        char reply[16] = {};
        ssize_t n = STUDENT(mbox_call)(id, "pong", reply, sizeof reply);
        int err = errno;
        c.send(n < 0 ? std::string("no reply") : show(reply));
        raw_remove(id);
        errno = err;
        return n;
      },
      interrupt_in_msgrcv());
  require_interrupted(call, "mbox_call");
  expect::returned_value(call, 4, "mbox_call, interrupted once while it waited for its reply");
  expect::clean(call);

  auto serve = sandbox::call(
      [](sandbox::child& c) -> long {
        int id = raw_queue();
        hold_back(id, MBOX_REQUEST, request(1001, "late"));
        int rc = STUDENT(mbox_serve)(id, 1);
        int err = errno;
        c.send(raw_take(id, 1001));
        raw_remove(id);
        errno = err;
        return rc;
      },
      interrupt_in_msgrcv());
  require_interrupted(serve, "mbox_serve");
  expect::messages(serve, {"1001:LATE"}, {"the reply to the request that came with the signal"});
  expect::returned_value(serve, 0, "mbox_serve, interrupted once while it waited for a request");
  expect::clean(serve);
}

TEST_CASE("mbox_serve cuts a request longer than the record (MSG_NOERROR) and answers it", "[server][size][pts=2]") {
  auto r = sandbox::call(
      [](sandbox::child& c) -> long {
        int id = raw_queue();
        std::string text(MBOX_TEXT_MAX, 'a');
        raw_send(id, MBOX_REQUEST, request(1001, text + "overflowing tail"));
        errno = 0;
        c.send(failure(STUDENT(mbox_serve)(id, 1)));
        std::string reply = raw_take(id, 1001);
        c.send(reply == "1001:" + std::string(MBOX_TEXT_MAX, 'A') ? "cut to MBOX_TEXT_MAX" : reply.substr(0, 80));
        c.send(raw_take(id, 0));
        raw_remove(id);
        return 0;
      },
      {.wall = 3s});
  expect::messages(r, {"0 (no error)", "cut to MBOX_TEXT_MAX", "-1 ENOMSG"},
                   {"mbox_serve with a request 16 bytes longer than struct mbox_request: receive with "
                    "MSG_NOERROR and room for sizeof(mbox_request), so it is cut, not refused with E2BIG",
                    "the reply: the first MBOX_TEXT_MAX bytes of its text, upper-cased (msgrcv's size is "
                    "the record's payload, not counting the long mtype)",
                    "nothing else on the queue"});
  expect::clean(r);
}

TEST_CASE("a queue removed under mbox_serve or mbox_call ends them with EIDRM", "[client][server][eidrm][pts=2]") {
  auto blocked_then_removed = [](bool serve) {
    return sandbox::call(
        [serve](sandbox::child& c) -> long {
          int id = raw_queue();
          pid_t pid = ipclab::check_unix(fork(), "fork()");
          if (pid == 0) {
            char reply[16];
            errno = 0;
            long rc = serve ? STUDENT(mbox_serve)(id, 1) : STUDENT(mbox_call)(id, "hi", reply, sizeof reply);
            c.send(failure(rc));
            _exit(0);
          }
          // The client's request stays queued while it waits: a client that
          // would take any message finds it, and never waits.
          bool waits = blocked_in_msgrcv(pid);
          bool sent = serve || raw_take(id, MBOX_REQUEST).rfind("1:", 0) == 0;
          c.send(waits && sent ? "waits" : waits ? "waits, without a request queued" : "did not wait");
          raw_remove(id);
          reap(pid);
          return 0;
        },
        {.wall = 3s});
  };
  for (bool serve : {true, false}) {
    std::string fn = serve ? "mbox_serve" : "mbox_call";
    auto r = blocked_then_removed(serve);
    if (r.hung() && r.messages.size() == 1 && r.messages[0] == "waits")
      FAIL(fn << " was waiting in msgrcv() when the queue was removed, and never returned: msgrcv "
                 "failed with EIDRM (and then EINVAL, the id being dead), which must end it with -1, "
                 "not be retried; restart on EINTR only (APUE 15.7)");
    expect::messages(r, {"waits", "-1 EIDRM"},
                     {serve ? fn + " must block in msgrcv while no request comes"
                            : fn + " must send its request, then block in msgrcv until its reply comes: receive by "
                                   "type getpid(), not 0 (its own request, still queued, is not a reply)",
                      fn + " once its queue was removed: -1 with EIDRM"});
    expect::clean(r);
  }
}
