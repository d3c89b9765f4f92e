// Namespaces around the test run (or the fallback), entered once per run.
#include "ipclab/isolation.hpp"

#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <sys/ipc.h>
#include <sys/mount.h>
#include <sys/msg.h>
#include <sys/prctl.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "child_side.hpp"
#include "ipclab/observe.hpp"
#include "fence/sandbox_ids.hpp"
#include "memory_cap.hpp"

namespace ipclab::isolation {
namespace {

bool in_namespaces = false;
uid_t call_uid = 0;
sandbox::memory_cap run_cap;  // made by enter(), removed when the run ends

// The outer process only waits: it holds no state of the run. Asked to
// stop (the CLI interrupted), it ends the namespace at once and still
// removes the run's cgroup.
volatile pid_t run_init = 0;
void end_the_run(int) { ::kill(run_init, SIGKILL); }

[[noreturn]] void wait_for_run(pid_t init) {
  run_init = init;
  struct sigaction stop {};
  stop.sa_handler = end_the_run;
  ::sigemptyset(&stop.sa_mask);
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) ::sigaction(sig, &stop, nullptr);
  int status = 0;
  while (::waitpid(init, &status, 0) < 0 && errno == EINTR) {
  }
  run_cap.remove();  // the namespace's processes all died with its init
  if (WIFEXITED(status)) std::exit(WEXITSTATUS(status));
  std::fprintf(stderr, "ipclab: the test run was killed by signal %d\n", WTERMSIG(status));
  std::exit(128 + WTERMSIG(status));
}

// Whether ipclab-fence started us with a PID namespace for our children,
// which it makes only together with mount and IPC namespaces and a private
// /tmp and /dev/shm (fence/policy.hpp, invariant 5). Until its first
// process exists, the kernel refuses to read that namespace's link (ENOENT).
bool fenced() {
  const char* link = "/proc/self/ns/pid_for_children";
  struct stat st {};
  if (::lstat(link, &st) != 0) return false;  // a kernel without it: no way to tell
  char mine[64] = {}, children[64] = {};
  if (::readlink(link, children, sizeof children - 1) < 0) return errno == ENOENT;
  return ::readlink("/proc/self/ns/pid", mine, sizeof mine - 1) > 0 && std::strcmp(mine, children) != 0;
}

// Inside, as the namespace's first process: its own /proc.
[[noreturn]] void refuse(const char* step) {
  std::fprintf(stderr, "ipclab: refused: the run's fence is incomplete: cannot %s (%s)\n", step,
               std::strerror(errno));
  std::exit(125);
}

void fallback(const char* why) {
  std::fprintf(stderr,
               "ipclab: note: private namespaces unavailable (%s); each call's processes\n"
               "        are killed one by one instead, %s\n",
               why,
               ::geteuid() == 0 ? "and its IPC objects and files removed."
                                : "and IPC objects or files it leaves are reported, not removed.");
  ::prctl(PR_SET_CHILD_SUBREAPER, 1);
  std::atexit([] { run_cap.remove(); });
}

}  // namespace

void enter() {
  ::signal(SIGPIPE, SIG_IGN);  // a call that closes its end must not kill the runner
  uid_t uid = ::geteuid();
  call_uid = uid == 0 ? fence::kSandboxUidBase + static_cast<uid_t>(::getpid()) : uid;

  run_cap = sandbox::memory_cap::make(sandbox::child_side::kMemoryLimitMiB);

  if (!fenced()) {
    fallback("the run was not started behind ipclab-fence's namespaces");
    return;
  }
  pid_t init = ::fork();
  if (init < 0) refuse("start the namespace's first process");
  if (init > 0) wait_for_run(init);
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getpid() != 1) {
    errno = ESRCH;
    refuse("be the first process of its PID namespace");
  }
  if (::mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) != 0)
    refuse("mount the namespace's own /proc");
  in_namespaces = true;
}

bool private_namespaces() noexcept { return in_namespaces; }

const std::string& memory_cgroup() noexcept { return run_cap.join_file(); }

long memory_oom_kills() { return run_cap.oom_kills(); }

uid_t sandbox_uid() noexcept { return call_uid; }

}  // namespace ipclab::isolation
