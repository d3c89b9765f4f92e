// Teaching assertions over sandbox results.
#include "ipclab/expect.hpp"

#include <sys/shm.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <cstring>

#include <catch2/catch.hpp>

#include "ipclab/die.hpp"
#include "ipclab/observe.hpp"

namespace ipclab::expect {
namespace {

std::string with_stderr(const sandbox::result& r, std::string text) {
  if (!r.err.empty()) text += "\nIts stderr said:\n" + r.err.substr(0, 1500);
  return text;
}

// A call that ended early (crash, time-out, exit): what its steps had
// already reported, so the student sees how far it got.
std::string with_messages(const sandbox::result& r, std::string text) {
  if (r.returned() || r.messages.empty()) return text;
  text += "\nBefore it ended, the test's steps had reported:";
  for (const auto& m : r.messages) text += "\n  " + m;
  return text;
}

std::string sig(int s) {
  const char* abbrev = sigabbrev_np(s);
  return (abbrev ? std::string("SIG") + abbrev : "signal " + std::to_string(s)) + " (" +
         strsignal(s) + ")";
}

// An XSI key as ipcs shows it (0x0000002a), a mode as chmod takes it (0640).
std::string ipc_key(long key) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%08lx", static_cast<unsigned long>(key) & 0xffffffffUL);
  return buf;
}
std::string octal(unsigned mode) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0%o", mode);
  return buf;
}

// Every helper records one assertion, passed or failed: a test made only of
// them still counts as having asserted something.
void verdict(bool ok, const std::string& why) {
  if (ok) SUCCEED();
  else FAIL(why);
}

// The call returned; else fails naming what was called and how it ended.
void returned_from(const sandbox::result& r, const std::string& what) {
  verdict(r.returned(), with_stderr(r, with_messages(r, what + ": " + r.story())));
}

}  // namespace

std::string wait_status(long status) {
  if (status < 0 || status > 0xffff) return std::to_string(status) + " (not a status)";
  int st = static_cast<int>(status);
  if (WIFEXITED(st)) return "exited with " + std::to_string(WEXITSTATUS(st));
  if (WIFSIGNALED(st)) return "killed by " + sig(WTERMSIG(st)) + (WCOREDUMP(st) ? ", core dumped" : "");
  if (WIFSTOPPED(st)) return "stopped by " + sig(WSTOPSIG(st));
  return std::to_string(status) + " (not a status)";
}

void returned(const sandbox::result& r) {
  verdict(r.returned(), with_stderr(r, with_messages(r, r.story())));
}

void returned_value(const sandbox::result& r, long value, const std::string& what) {
  returned_from(r, what);
  verdict(r.value == value,
          with_stderr(r, what + ": expected " + std::to_string(value) + ", but it " + r.story()));
}

void failed_with(const sandbox::result& r, int err, const std::string& what) {
  returned_from(r, what);
  verdict(r.value == -1 && r.error == err,
          with_stderr(r, what + ": expected -1 with errno " + errno_name(err) + ", but it " +
                             r.story()));
}

void no_fds_left(const sandbox::result& r) {
  if (r.fds_left.empty()) return verdict(true, "");
  std::string text = "your code left descriptors open in the calling process:\n";
  for (const auto& f : r.fds_left)
    text += "  fd " + std::to_string(f.fd) + " -> " + f.target + " (" + f.access + " end)\n";
  text += "Close every descriptor you open once it has served (after fork(), each process "
          "closes the pipe ends it does not use; the parent closes them all once the children "
          "have them).";
  FAIL(text);
}

void no_children_left(const sandbox::result& r) {
  if (r.children_left.empty()) return verdict(true, "");
  std::string text = "your code left child processes behind:\n";
  for (const auto& c : r.children_left)
    text += "  process " + std::to_string(c.pid) + " (" + c.command + ")" +
            (c.state == 'Z' ? " is a zombie: it ended, but nobody waited for it\n"
                            : " is still running\n");
  text += "Wait for (waitpid) every child you fork before returning.";
  FAIL(text);
}

void no_objects_left(const sandbox::result& r) {
  if (r.ipc_left.empty() && r.files_left.empty()) return verdict(true, "");
  std::string text = "your code left things that outlive it:\n";
  for (const auto& o : r.ipc_left)
    text += "  a " + o.kind + " (id " + std::to_string(o.id) + ", key " + ipc_key(o.key) + ", mode " +
            octal(o.mode & 0777) + "): " +
            (o.kind == "shared memory segment" && (o.mode & SHM_DEST) != 0
                 ? "removed with IPC_RMID, but still attached: it goes only at its last shmdt() "
                   "(APUE 15.9)\n"
                 : "XSI objects stay until IPC_RMID removes them (see ipcs/ipcrm, APUE 15.6)\n");
  const std::string queues = std::string(observe::kQueueDir) + "/";
  for (const auto& f : r.files_left)
    text += f.rfind(queues, 0) == 0 ? "  the POSIX message queue " + f.substr(queues.size() - 1) +
                                          ": it stays until mq_unlink removes its name (mq_overview(7))\n"
                                    : "  the file " + f + "\n";
  FAIL(text);
}

void clean(const sandbox::result& r) {
  returned(r);
  no_fds_left(r);
  no_children_left(r);
  no_objects_left(r);
}

void equal(const std::string& got, const std::string& want, const std::string& why) {
  INFO(why);
  CHECK(got == want);
}

void messages(const sandbox::result& r, const std::vector<std::string>& want,
              const std::vector<std::string>& why) {
  returned(r);
  std::size_t reached = std::min(r.messages.size(), want.size());
  for (std::size_t i = 0; i < reached; ++i)
    equal(r.messages[i], want[i], why[i] + "\n  expected: " + want[i] + "\n  got:      " + r.messages[i]);
  if (r.returned() && r.messages.size() != want.size()) {
    std::string got;
    for (const auto& m : r.messages) got += "\n  " + m;
    FAIL("the test stopped early: it " << r.story() << "; the steps it reached said:" << got);
  }
}

}  // namespace ipclab::expect
