// Namespaces around the test run, and the cleanup after every call.
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
const char* const kScratchDirs[] = {"/tmp", "/dev/shm"};

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
               "ipclab: note: private namespaces unavailable (%s); each call's processes,\n"
               "        IPC objects and files are removed one by one instead.\n",
               why);
  ::prctl(PR_SET_CHILD_SUBREAPER, 1);
  std::atexit([] { run_cap.remove(); });
}

void kill_all_in_namespace() {
  ::kill(-1, SIGKILL);  // PID 1 of the namespace: reaches everyone but us
}

// Root fallback: every process of the sandbox user is the call's. A helper
// that becomes that user kills them all with kill(-1), until none is left;
// a fork bomb cannot outrun it as it can a walk over /proc.
void kill_sandbox_user() {
  pid_t helper = ::fork();
  if (helper == 0) {
    if (::setgroups(0, nullptr) != 0 || ::setgid(call_uid) != 0 || ::setuid(call_uid) != 0)
      ::_exit(1);
    for (int round = 0; round < 1000 && ::kill(-1, SIGKILL) == 0; ++round) {
    }
    ::_exit(0);
  }
  if (helper > 0) ::waitpid(helper, nullptr, 0);
}

void kill_tree(pid_t root) {
  if (::geteuid() == 0) kill_sandbox_user();
  // Stop first so nothing forks while we look, then kill what we found.
  for (int round = 0; round < 8; ++round) {
    std::vector<pid_t> victims;
    for (const auto& p : call_processes(root)) victims.push_back(p.pid);
    if (victims.empty()) return;
    for (pid_t v : victims) ::kill(v, SIGSTOP);
    for (pid_t v : victims) ::kill(v, SIGKILL);
    while (::waitpid(-1, nullptr, WNOHANG) > 0) {
    }
  }
}

void remove_ipc(const sandbox::ipc_entry& e) {
  if (e.kind == "message queue") ::msgctl(e.id, IPC_RMID, nullptr);
  else if (e.kind == "semaphore set") ::semctl(e.id, 0, IPC_RMID);
  else ::shmctl(e.id, IPC_RMID, nullptr);
}

}  // namespace

std::vector<observe::process> call_processes(pid_t call_pid) {
  auto all = observe::processes();
  std::vector<observe::process> roots;
  for (const auto& p : all)
    if (p.pid != ::getpid() && (p.pid == call_pid || p.ppid == ::getpid() || p.pgid == call_pid))
      roots.push_back(p);
  return observe::with_descendants(std::move(roots), all);
}

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

snapshot take() {
  snapshot s;
  for (const auto& e : observe::ipc_objects())
    if (in_namespaces || e.owner == call_uid) s.ipc.push_back(e);
  for (const char* dir : kScratchDirs) {
    auto names = observe::entries_owned(dir, in_namespaces ? static_cast<uid_t>(-1) : call_uid);
    s.files.insert(s.files.end(), names.begin(), names.end());
  }
  return s;
}

snapshot added(const snapshot& before, const snapshot& after) {
  snapshot out;
  for (const auto& e : after.ipc) {
    bool old = std::any_of(before.ipc.begin(), before.ipc.end(),
                           [&](auto& b) { return b.kind == e.kind && b.id == e.id; });
    if (!old) out.ipc.push_back(e);
  }
  for (const auto& f : after.files)
    if (std::find(before.files.begin(), before.files.end(), f) == before.files.end())
      out.files.push_back(f);
  return out;
}

int sweep(pid_t call_pid, const snapshot& left) {
  if (in_namespaces) kill_all_in_namespace();
  else kill_tree(call_pid);
  int status = -1;
  if (::waitpid(call_pid, &status, 0) < 0) status = -1;
  // Reap whatever else ended: grandchildren re-parented to us.
  if (in_namespaces) {
    while (::waitpid(-1, nullptr, 0) > 0 || errno == EINTR) {
    }
  } else {
    while (::waitpid(-1, nullptr, WNOHANG) > 0) {
    }
  }
  for (const auto& e : left.ipc) remove_ipc(e);
  for (const auto& f : left.files) {
    std::error_code ignored;
    std::filesystem::remove_all(f, ignored);
  }
  return status;
}

}  // namespace ipclab::isolation
