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
#include "ipclab/path_view.hpp"
#include "ipclab/sandbox_ids.hpp"
#include "ipclab/unshare.hpp"
#include "memory_cap.hpp"

namespace ipclab::isolation {
namespace {

bool in_namespaces = false;
uid_t call_uid = 0;
sandbox::memory_cap run_cap;  // made by enter(), removed when the run ends

// The outer process only waits: it holds no state of the run.
[[noreturn]] void wait_for_run(pid_t init) {
  int status = 0;
  while (::waitpid(init, &status, 0) < 0 && errno == EINTR) {
  }
  run_cap.remove();  // the namespace's processes all died with its init
  if (WIFEXITED(status)) std::exit(WEXITSTATUS(status));
  std::fprintf(stderr, "ipclab: the test run was killed by signal %d\n", WTERMSIG(status));
  std::exit(128 + WTERMSIG(status));
}

// Inside: private mounts, so /tmp, /dev/shm and /proc are this run's own,
// and the folders the grader names in IPCLAB_HIDE (solutions, hidden
// tests, other submissions) are empty.
bool private_mounts() {
  std::vector<std::string> scratch(std::begin(kScratchDirs), std::end(kScratchDirs));
  if (apply_path_view({split_paths(std::getenv("IPCLAB_HIDE")), {}, scratch}) != 0)
    return false;
  return ::mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) == 0;
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
  call_uid = uid == 0 ? kSandboxUidBase + static_cast<uid_t>(::getpid()) : uid;

  run_cap = sandbox::memory_cap::make(sandbox::child_side::kMemoryLimitMiB);

  const char* mode = std::getenv("IPCLAB_ISOLATION");
  if (mode != nullptr && std::strcmp(mode, "off") == 0) {
    fallback("IPCLAB_ISOLATION=off");
    return;
  }
  if (unshare_as_self(CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWNS) != 0) {
    fallback(std::strerror(errno));
    return;
  }
  pid_t init = ::fork();
  if (init < 0) {
    fallback(std::strerror(errno));
    return;
  }
  if (init > 0) wait_for_run(init);
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (!private_mounts()) {
    std::fprintf(stderr, "ipclab: note: no private /tmp and /dev/shm (%s)\n", std::strerror(errno));
  }
  in_namespaces = true;
}

bool private_namespaces() noexcept { return in_namespaces; }

const std::string& memory_cgroup() noexcept { return run_cap.join_file(); }

long memory_oom_kills() { return run_cap.oom_kills(); }

uid_t sandbox_uid() noexcept { return call_uid; }

}  // namespace ipclab::isolation
