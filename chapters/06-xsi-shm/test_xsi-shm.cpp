// Chapter 06 — XSI shared memory: the graded tests. Each TEST_CASE carries its points.
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ipc.h>
#include <sys/resource.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "ipclab/asleep.hpp"
#include "ipclab/die.hpp"
#include "ipclab/expect.hpp"
#include "ipclab/observe.hpp"
#include "ipclab/sandbox.hpp"
#include "xsi-shm.hpp"

namespace sandbox = ipclab::sandbox;
namespace expect = ipclab::expect;
using namespace std::chrono_literals;

namespace {

std::string random_bytes(std::size_t n, unsigned seed) {
  std::mt19937_64 gen(seed);
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; i += 8) {
    std::uint64_t v = gen();
    for (std::size_t k = 0; k < 8 && i + k < n; ++k) s[i + k] = static_cast<char>(v >> (8 * k));
  }
  return s;
}

std::uint64_t fnv1a(const std::string& s) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return h;
}

/// "they differ" explained: sizes, checksums and the first differing offset.
std::string difference(const std::string& got, const std::string& want) {
  std::size_t at = 0;
  while (at < got.size() && at < want.size() && got[at] == want[at]) ++at;
  std::ostringstream o;
  o << "sent " << want.size() << " bytes (FNV-1a " << std::hex << fnv1a(want) << "), received "
    << std::dec << got.size() << " (FNV-1a " << std::hex << fnv1a(got) << std::dec
    << "); first difference at offset " << at;
  return o.str();
}

/// For a copy that never returned: what its processes' waits (the time-out's
/// diagnosis) say about the mistake; fails the test with it. Nothing when
/// the call did not time out or the waits say nothing of semaphores.
void explain_hang(const sandbox::result& r) {
  if (!r.hung()) return;
  auto count = [&](const std::string& what) {
    int n = 0;
    for (std::size_t at = 0; (at = r.detail.find(what, at)) != std::string::npos; ++at) ++n;
    return n;
  };
  int in_semop = count("waits in semop()"), in_wait = count("waits for a child");
  std::string why;
  if (in_wait > 0 && in_semop > 0)
    why = "xshm_copy waits in waitpid() for the writer, and the writer waits in semop() for an \"empty\" "
          "the reader will never post: when the copy fails, kill the writer (SIGKILL) before waiting for it";
  else if (in_semop >= 2)
    why = "the writer and the reader both wait in semop(): check the starting values (\"empty\" 1, \"full\" "
          "0, set with SETALL or SETVAL) and which semaphore each side waits for and which it posts";
  else if (in_semop == 1)
    why = "one process waits in semop() for a post that never comes: the writer must announce end-of-file "
          "with a block of 0 bytes, posting \"full\", before it leaves";
  if (!why.empty()) FAIL("xshm_copy never returned. " << why << "\n(" << r.story() << ")");
}

// ---- helpers that run inside the call ----

/// An unlinked temporary file in the call's /tmp holding @p data, at offset 0.
int temp_file(const std::string& data) {
  char path[] = "/tmp/xshm.XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) throw std::runtime_error("mkstemp failed");
  unlink(path);
  if (write(fd, data.data(), data.size()) != static_cast<ssize_t>(data.size()) || lseek(fd, 0, SEEK_SET) != 0)
    throw std::runtime_error("cannot fill a temporary file");
  return fd;
}

std::string contents(int fd) {
  std::string s;
  char buf[8192];
  lseek(fd, 0, SEEK_SET);
  for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;) s.append(buf, static_cast<std::size_t>(n));
  return s;
}

std::string errno_text(long rc) {
  return std::to_string(rc) + (rc < 0 ? std::string(" ") + ipclab::errno_name(errno) : "");
}

/// One line of /proc/sysvipc/shm or /proc/sysvipc/sem: its id and a few columns.
struct sysv_line {
  int id;
  unsigned long size_or_nsems;
  unsigned long nattch;
};

std::vector<sysv_line> sysv(const char* kind) {
  std::ifstream in(std::string("/proc/sysvipc/") + kind);
  std::string line;
  std::getline(in, line);
  std::vector<sysv_line> out;
  while (std::getline(in, line)) {
    long key;
    int id;
    unsigned perms;
    unsigned long size;
    int cpid, lpid;
    unsigned long nattch = 0;
    std::istringstream f(line);
    f >> key >> id >> std::oct >> perms >> std::dec >> size;
    if (std::string(kind) == "shm") f >> cpid >> lpid >> nattch;
    out.push_back({id, size, nattch});
  }
  return out;
}

/// The objects of @p kind that are not in @p before.
std::vector<sysv_line> new_since(const char* kind, const std::vector<sysv_line>& before) {
  std::set<int> old;
  for (const auto& b : before) old.insert(b.id);
  std::vector<sysv_line> out;
  for (const auto& l : sysv(kind))
    if (!old.count(l.id)) out.push_back(l);
  return out;
}

/// Runs the student's xshm_copy from a file holding @p data, into a file.
sandbox::result copy_file(const std::string& data, std::size_t seg_size, sandbox::limits lim = {}) {
  return sandbox::call(
      [&](sandbox::child& c) -> long {
        int in = temp_file(data);
        int out = temp_file("");
        long rc = STUDENT(xshm_copy)(in, out, seg_size);
        int err = errno;
        c.send(contents(out));
        close(in);
        close(out);
        errno = err;
        return rc;
      },
      lim);
}

}  // namespace

TEST_CASE("8 MiB of random bytes arrive intact through a 64 KiB segment", "[copy][pts=3]") {
  const std::string data = random_bytes(8u << 20, 6);
  sandbox::input_pipe in(data);
  sandbox::output_pipe out;
  auto r = sandbox::call(
      [&](sandbox::child&) -> long { return STUDENT(xshm_copy)(in.fd(), out.fd(), 64 * 1024); },
      {.wall = 10s}, {in, out});
  explain_hang(r);
  expect::returned_value(r, static_cast<long>(data.size()), "xshm_copy returns the number of bytes copied");
  bool intact = out.data() == data;
  {
    INFO(difference(out.data(), data)
         << "\na block was lost, repeated or overwritten: the writer may fill the segment again only "
            "after the reader posted \"empty\", and the reader may read it only after \"full\" (APUE 15.9)");
    CHECK(intact);
  }
  expect::clean(r);
}

TEST_CASE("the writer refills the segment only after the reader wrote the block out", "[copy][order][pts=2]") {
  constexpr std::size_t seg = 16384;
  const std::string a(seg, 'a'), b(seg, 'b');
  auto r = sandbox::call(
      [&](sandbox::child& c) -> long {
        signal(SIGPIPE, SIG_IGN);
        int in[2], out[2], res[2];
        if (socketpair(AF_UNIX, SOCK_STREAM, 0, in) < 0 || pipe(out) < 0 ||
            socketpair(AF_UNIX, SOCK_STREAM, 0, res) < 0)
          throw std::runtime_error("socketpair or pipe failed");
        fcntl(out[1], F_SETPIPE_SZ, 4096);  // the reader's write of a block blocks part way
        pid_t pid = fork();
        if (pid == 0) {
          close(in[1]);
          close(out[0]);
          close(res[0]);
          long n = STUDENT(xshm_copy)(in[0], out[1], seg);
          (void)!write(res[1], &n, sizeof n);
          _exit(0);
        }
        close(in[0]);
        close(out[1]);
        close(res[1]);
        auto all_asleep = [pid] {
          std::vector<pid_t> tree;
          for (const auto& p : ipclab::observe::tree(pid)) tree.push_back(p.pid);
          return ipclab::asleep::wait_all(tree);
        };
        // Block a goes in; the reader blocks writing it out (the pipe holds
        // 4096 bytes). Block b goes in only then: the writer must not read it
        // into the segment before the reader has finished with block a.
        bool forced = write(in[1], a.data(), a.size()) == static_cast<ssize_t>(a.size()) && all_asleep();
        forced = forced && write(in[1], b.data(), b.size()) == static_cast<ssize_t>(b.size()) && all_asleep();
        if (!forced) (void)!write(in[1], b.data(), b.size());
        close(in[1]);
        std::string got;
        char buf[4096];
        for (ssize_t k; (k = read(out[0], buf, sizeof buf)) > 0;) got.append(buf, static_cast<std::size_t>(k));
        long n = -2;
        (void)!read(res[0], &n, sizeof n);
        waitpid(pid, nullptr, 0);
        close(out[0]);
        close(res[0]);
        std::size_t as = got.find_first_not_of('a');
        c.send(got == a + b ? "a then b" : "a for " + std::to_string(as == std::string::npos ? got.size() : as) +
                                               " bytes, then " + std::to_string(got.size()) + " bytes in all");
        c.send(std::to_string(n));
        return 0;
      },
      {.wall = 10s});
  explain_hang(r);
  expect::returned(r);
  REQUIRE(r.messages.size() == 2);
  expect::equal(r.messages[0], "a then b",
                "16 KiB of 'a', then 16 KiB of 'b', through a segment of 16 KiB, while the reader's write "
                "of the first block could only go part way: the 'b's overwrote the block the reader was "
                "still writing. The reader posts \"empty\" only after the whole block is written out");
  expect::equal(r.messages[1], std::to_string(2 * seg), "xshm_copy returns the bytes copied");
  expect::clean(r);
}

TEST_CASE("inputs that are not a multiple of the segment size arrive exactly", "[copy][pts=3]") {
  struct shape {
    std::size_t bytes, seg;
  } shapes[] = {{1, 4096},    {4095, 4096}, {4096, 4096},  {4097, 4096},
                {12305, 4096}, {10001, 1000}, {777, 1},    {70000, 4093}};
  unsigned seed = 1;
  for (const auto& s : shapes) {
    const std::string data = random_bytes(s.bytes, seed++);
    auto r = copy_file(data, s.seg);
    INFO(s.bytes << " bytes through a segment of " << s.seg << " bytes");
    expect::returned_value(r, static_cast<long>(s.bytes), "xshm_copy returns the number of bytes copied");
    REQUIRE(r.messages.size() == 1);
    bool intact = r.messages[0] == data;
    {
      INFO(difference(r.messages[0], data)
           << "\nthe last block is shorter than the segment: record how many bytes each block holds, "
              "and write only those");
      CHECK(intact);
    }
    expect::no_objects_left(r);
  }
}

TEST_CASE("an empty input copies 0 bytes, ends, and keeps in_fd and out_fd open", "[copy][pts=2]") {
  sandbox::output_pipe out;
  auto r = sandbox::call(
      [&](sandbox::child& c) -> long {
        int in[2];
        if (pipe(in) < 0) throw std::runtime_error("pipe failed");
        close(in[1]);  // end-of-file at once
        long rc = STUDENT(xshm_copy)(in[0], out.fd(), 4096);
        int err = errno;
        bool open = fcntl(in[0], F_GETFD) >= 0 && fcntl(out.fd(), F_GETFD) >= 0;
        c.send(open ? "open" : "closed");
        close(in[0]);
        errno = err;
        return rc;
      },
      {out});
  explain_hang(r);
  expect::returned_value(r, 0, "xshm_copy of an empty input: the writer's first block says end-of-file (0 bytes)");
  CHECK(out.data().empty());
  REQUIRE(r.messages.size() == 1);
  {
    INFO("in_fd and out_fd belong to the caller: xshm_copy must not close them");
    CHECK(r.messages[0] == "open");
  }
  expect::clean(r);
}

TEST_CASE("while copying the segment is attached twice; afterwards nattch is 0 and segment and semaphores are gone", "[cleanup][pts=3]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    signal(SIGPIPE, SIG_IGN);  // a copy that ended early must not kill the test's writes
    auto shm_before = sysv("shm");
    auto sem_before = sysv("sem");
    int in[2], out[2], res[2];
    // Sockets, not pipes: a hang report then speaks only of what xshm_copy waits for.
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, in) < 0 || socketpair(AF_UNIX, SOCK_STREAM, 0, out) < 0 || socketpair(AF_UNIX, SOCK_STREAM, 0, res) < 0)
      throw std::runtime_error("socketpair failed");
    pid_t pid = fork();
    if (pid == 0) {
      close(in[1]);
      close(out[0]);
      close(res[0]);
      long n = STUDENT(xshm_copy)(in[0], out[1], 4096);
      // Seen before this process exits (which would detach what it left attached).
      std::string after = std::to_string(n) + "\n" + std::to_string(new_since("shm", shm_before).size()) + " segment(s)";
      for (const auto& s : new_since("shm", shm_before)) after += ", nattch " + std::to_string(s.nattch);
      (void)!write(res[1], after.data(), after.size());
      _exit(0);
    }
    close(in[0]);
    close(out[1]);
    close(res[1]);
    char echo[4] = {};
    // Once "ping" came out, both sides have used the segment; the writer now
    // waits in read() for more input and the reader for "full".
    bool through = write(in[1], "ping", 4) == 4 && read(out[0], echo, 4) == 4;
    c.send(through ? std::string(echo, 4) : "nothing came out");
    auto segs = new_since("shm", shm_before);
    auto sets = new_since("sem", sem_before);
    std::string during = std::to_string(segs.size()) + " segment(s)";
    for (const auto& s : segs)
      during += ", " + std::to_string(s.size_or_nsems) + " bytes nattch " + std::to_string(s.nattch);
    c.send(during);
    std::string sems = std::to_string(sets.size()) + " set(s)";
    for (const auto& s : sets) sems += ", " + std::to_string(s.size_or_nsems) + " semaphores";
    c.send(sems);
    close(in[1]);  // end-of-file: the copy ends
    char drain[64];
    while (read(out[0], drain, sizeof drain) > 0) {
    }
    std::string report;
    char chunk[256];
    for (ssize_t k; (k = read(res[0], chunk, sizeof chunk)) > 0;) report.append(chunk, static_cast<std::size_t>(k));
    waitpid(pid, nullptr, 0);
    close(out[0]);
    close(res[0]);
    auto nl = report.find('\n');
    c.send(nl == std::string::npos ? "no result" : report.substr(0, nl));
    c.send(nl == std::string::npos ? "no result" : report.substr(nl + 1));
    c.send(std::to_string(new_since("sem", sem_before).size()) + " set(s)");
    return 0;
  });
  expect::returned(r);
  REQUIRE(r.messages.size() == 6);
  {
    INFO("4 bytes written to in_fd should come out of out_fd while the copy still runs; got \""
         << r.messages[0] << "\"");
    REQUIRE(r.messages[0] == "ping");
  }
  {
    INFO("/proc/sysvipc/shm during the copy: " << r.messages[1]
         << "\nexpected one segment of at least 4096 bytes attached by the writer and the reader");
    REQUIRE(r.messages[1].rfind("1 segment(s), ", 0) == 0);
    CHECK(std::stoul(r.messages[1].substr(14)) >= 4096);
  }
  {
    INFO("/proc/sysvipc/shm during the copy: " << r.messages[1]
         << "\nwhile the copy runs the writer and the reader are each attached once: attach before fork() "
            "(the child inherits it) or in each process, and never twice in one");
    CHECK(r.messages[1].substr(r.messages[1].find("nattch")) == "nattch 2");
  }
  {
    INFO("/proc/sysvipc/sem during the copy: " << r.messages[2] << "\nexpected one set of two (empty, full)");
    CHECK(r.messages[2] == "1 set(s), 2 semaphores");
  }
  {
    INFO("xshm_copy returned " << r.messages[3] << " for the 4 bytes of \"ping\"");
    CHECK(r.messages[3] == "4");
  }
  {
    INFO("after the copy: " << r.messages[4]
         << "\nevery attachment must be detached (shmdt) and the segment removed (IPC_RMID); "
            "a removed segment lives on until its nattch is 0 (APUE 15.9)");
    CHECK(r.messages[4] == "0 segment(s)");
  }
  {
    INFO("after the copy: " << r.messages[5] << " of semaphores: remove the set with IPC_RMID");
    CHECK(r.messages[5] == "0 set(s)");
  }
}

TEST_CASE("bad arguments fail with EINVAL and EBADF, a failed read() with its errno, leaving nothing", "[errors][pts=2]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    int file = temp_file("data");
    int dev_null_w = open("/dev/null", O_WRONLY);
    int dev_null_r = open("/dev/null", O_RDONLY);
    int dir = open("/tmp", O_RDONLY | O_DIRECTORY);
    c.send(errno_text(STUDENT(xshm_copy)(file, dev_null_w, 0)));
    c.send(errno_text(STUDENT(xshm_copy)(dev_null_w, dev_null_w, 4096)));
    c.send(errno_text(STUDENT(xshm_copy)(file, dev_null_r, 4096)));
    c.send(errno_text(STUDENT(xshm_copy)(-1, dev_null_w, 4096)));
    c.send(errno_text(STUDENT(xshm_copy)(dir, dev_null_w, 4096)));
    for (int fd : {file, dev_null_w, dev_null_r, dir}) close(fd);
    return 0;
  });
  expect::returned(r);
  const char* what[] = {"seg_size 0", "an in_fd open only for writing", "an out_fd open only for reading",
                        "in_fd -1",
                        "a directory as in_fd (the writer's read() fails: pass its errno through the segment)"};
  const char* want[] = {"-1 EINVAL", "-1 EBADF", "-1 EBADF", "-1 EBADF", "-1 EISDIR"};
  REQUIRE(r.messages.size() == 5);
  for (int i = 0; i < 5; ++i) {
    {
      INFO("xshm_copy with " << what[i] << ": expected " << want[i] << ", got " << r.messages[i]);
      CHECK(r.messages[i] == want[i]);
    }
  }
  expect::clean(r);
}

TEST_CASE("when out_fd's reader is gone it fails with EPIPE, reaps the writer and removes everything", "[errors][cleanup][pts=2]") {
  auto r = sandbox::call([](sandbox::child&) -> long {
    signal(SIGPIPE, SIG_IGN);
    int in = temp_file(random_bytes(256 * 1024, 9));
    int out[2];
    if (pipe(out) < 0) throw std::runtime_error("pipe failed");
    close(out[0]);
    long rc = STUDENT(xshm_copy)(in, out[1], 4096);
    int err = errno;
    close(in);
    close(out[1]);
    errno = err;
    return rc;
  });
  explain_hang(r);
  expect::failed_with(r, EPIPE, "xshm_copy into a pipe nobody reads (SIGPIPE ignored)");
  INFO("after a failure, too: kill and reap the writer (it may wait for \"empty\" forever), "
       "detach, and IPC_RMID the segment and the semaphores");
  expect::clean(r);
}

TEST_CASE("a store through a SHM_RDONLY attachment raises SIGSEGV", "[attach][pts=3]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    int id = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
    void* rw = shmat(id, nullptr, 0);
    if (id < 0 || rw == reinterpret_cast<void*>(-1)) throw std::runtime_error("shmget/shmat failed");
    snprintf(static_cast<char*>(rw), 4096, "put there before");
    void* ro = STUDENT(xshm_attach)(id, 1);
    int err = errno;
    if (ro == nullptr || ro == reinterpret_cast<void*>(-1)) {
      shmdt(rw);
      shmctl(id, IPC_RMID, nullptr);
      errno = err;
      return -1;
    }
    c.send(static_cast<const char*>(ro));
    pid_t pid = fork();
    if (pid == 0) {
      rlimit no_core{0, 0};
      setrlimit(RLIMIT_CORE, &no_core);
      *static_cast<volatile char*>(ro) = 'X';
      _exit(0);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    c.send(WIFSIGNALED(st) ? sigabbrev_np(WTERMSIG(st)) : "no signal");
    c.send(static_cast<const char*>(rw));
    shmdt(ro);
    shmdt(rw);
    shmctl(id, IPC_RMID, nullptr);
    return 0;
  });
  expect::returned_value(r, 0, "xshm_attach(id, 1) of a segment the caller may read and write");
  REQUIRE(r.messages.size() == 3);
  {
    INFO("reading through the read-only attachment");
    CHECK(r.messages[0] == "put there before");
  }
  {
    INFO("a child stored a byte through the read-only attachment; it ended with: " << r.messages[1]
         << "\npass SHM_RDONLY to shmat() when readonly is non-zero");
    CHECK(r.messages[1] == "SEGV");
  }
  CHECK(r.messages[2] == "put there before");
}

TEST_CASE("two attachments share the same bytes; nattch counts them; IPC_RMID waits for the last detach", "[attach][pts=2]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    int id = shmget(IPC_PRIVATE, 8192, IPC_CREAT | 0600);
    if (id < 0) throw std::runtime_error("shmget failed");
    auto nattch = [id] {
      shmid_ds ds{};
      return shmctl(id, IPC_STAT, &ds) < 0 ? std::string("gone") : std::to_string(ds.shm_nattch);
    };
    void* a = STUDENT(xshm_attach)(id, 0);
    void* b = STUDENT(xshm_attach)(id, 0);
    if (a == nullptr || b == nullptr) {
      int err = errno;
      shmctl(id, IPC_RMID, nullptr);
      errno = err;
      return -1;
    }
    c.send(a != b ? "two addresses" : "one address");
    snprintf(static_cast<char*>(a), 64, "through a");
    c.send(static_cast<const char*>(b));
    c.send(nattch());
    c.send(errno_text(STUDENT(xshm_detach)(a)));
    c.send(nattch());
    shmctl(id, IPC_RMID, nullptr);  // marked: it lives on while b is attached
    c.send(static_cast<const char*>(b));
    c.send(errno_text(STUDENT(xshm_detach)(b)));
    c.send(nattch());
    return 0;
  });
  expect::returned_value(r, 0, "xshm_attach(id, 0) twice");
  REQUIRE(r.messages.size() == 8);
  {
    INFO("each shmat() maps the segment at a new address");
    CHECK(r.messages[0] == "two addresses");
  }
  {
    INFO("written through one attachment, read through the other");
    CHECK(r.messages[1] == "through a");
  }
  {
    INFO("shm_nattch with two attachments: " << r.messages[2]);
    CHECK(r.messages[2] == "2");
  }
  {
    INFO("xshm_detach of the first: " << r.messages[3]);
    CHECK(r.messages[3] == "0");
  }
  {
    INFO("shm_nattch after one detach: " << r.messages[4]);
    CHECK(r.messages[4] == "1");
  }
  CHECK(r.messages[5] == "through a");
  {
    INFO("xshm_detach of the last attachment: " << r.messages[6]);
    CHECK(r.messages[6] == "0");
  }
  {
    INFO("a segment marked with IPC_RMID disappears at its last detach; IPC_STAT says: " << r.messages[7]);
    CHECK(r.messages[7] == "gone");
  }
  expect::no_objects_left(r);
}

TEST_CASE("xshm_attach fails with a null pointer and EINVAL or EACCES; xshm_detach of a stray address with EINVAL", "[attach][errors][pts=2]") {
  auto r = sandbox::call([](sandbox::child& c) -> long {
    auto describe = [](void* p) {
      if (p == reinterpret_cast<void*>(-1)) return std::string("(void *)-1");
      return p == nullptr ? std::string("null ") + ipclab::errno_name(errno) : std::string("an address");
    };
    int gone = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
    shmctl(gone, IPC_RMID, nullptr);
    errno = 0;
    c.send(describe(STUDENT(xshm_attach)(gone, 0)));
    int ro = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0400);
    errno = 0;
    void* w = STUDENT(xshm_attach)(ro, 0);
    c.send(describe(w));
    void* rd = STUDENT(xshm_attach)(ro, 1);
    c.send(describe(rd));
    for (void* p : {w, rd})
      if (p != nullptr && p != reinterpret_cast<void*>(-1)) shmdt(p);
    shmctl(ro, IPC_RMID, nullptr);
    int local = 0;
    errno = 0;
    c.send(errno_text(STUDENT(xshm_detach)(&local)));
    return 0;
  });
  expect::returned(r);
  REQUIRE(r.messages.size() == 4);
  {
    INFO("xshm_attach of a removed segment: shmat() says (void *)-1, the contract says a null pointer; got "
         << r.messages[0]);
    CHECK(r.messages[0] == "null EINVAL");
  }
  {
    INFO("xshm_attach(id, 0) for writing a segment of mode 0400; got " << r.messages[1]);
    CHECK(r.messages[1] == "null EACCES");
  }
  {
    INFO("xshm_attach(id, 1) for reading the same segment; got " << r.messages[2]);
    CHECK(r.messages[2] == "an address");
  }
  {
    INFO("xshm_detach of an address where nothing is attached; got " << r.messages[3]);
    CHECK(r.messages[3] == "-1 EINVAL");
  }
  expect::no_objects_left(r);
}
