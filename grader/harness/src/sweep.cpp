// After each call: what it added, and removing it (processes, IPC objects, files).
#include <grp.h>
#include <mqueue.h>
#include <signal.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "ipclab/isolation.hpp"
#include "ipclab/observe.hpp"

namespace ipclab::isolation {
namespace {

void kill_all_in_namespace() {
  ::kill(-1, SIGKILL);  // PID 1 of the namespace: reaches everyone but us
}

// Root fallback: every process of the sandbox user is the call's. A helper
// that becomes that user kills them all with kill(-1), until none is left;
// a fork bomb cannot outrun it as it can a walk over /proc.
void kill_sandbox_user() {
  pid_t helper = ::fork();
  if (helper == 0) {
    if (::setgroups(0, nullptr) != 0 || ::setgid(sandbox_uid()) != 0 || ::setuid(sandbox_uid()) != 0)
      ::_exit(1);
    for (int round = 0; round < 1000 && ::kill(-1, SIGKILL) == 0; ++round) {
    }
    ::_exit(0);
  }
  if (helper > 0) ::waitpid(helper, nullptr, 0);
}

// Every process below the runner is the call's: the runner is the init of
// the run's PID namespace, or a child subreaper, and starts nothing else. So
// nothing outside the call is ever signalled. Stop first so nothing forks
// while we look, then kill what we found; again until none is left.
void kill_tree() {
  if (::geteuid() == 0) kill_sandbox_user();
  for (;;) {
    std::vector<pid_t> victims;
    for (const auto& p : call_processes()) victims.push_back(p.pid);
    if (victims.empty()) return;
    for (pid_t v : victims) ::kill(v, SIGSTOP);
    for (pid_t v : victims) ::kill(v, SIGKILL);
    int reaped = 0;
    while (::waitpid(-1, nullptr, WNOHANG) > 0) ++reaped;
    if (reaped == 0) ::usleep(1000);  // killed, not yet gone: the kernel is tearing them down
  }
}

void remove_ipc(const sandbox::ipc_entry& e) {
  if (e.kind == "message queue") ::msgctl(e.id, IPC_RMID, nullptr);
  else if (e.kind == "semaphore set") ::semctl(e.id, 0, IPC_RMID);
  else ::shmctl(e.id, IPC_RMID, nullptr);
}

}  // namespace

std::vector<observe::process> call_processes() {
  auto all = observe::processes();
  std::vector<observe::process> roots;
  for (const auto& p : all)
    if (p.ppid == ::getpid()) roots.push_back(p);
  return observe::with_descendants(std::move(roots), all);
}

snapshot take() {
  snapshot s;
  for (const auto& e : observe::ipc_objects())
    if (private_namespaces() || e.owner == sandbox_uid()) s.ipc.push_back(e);
  for (const char* dir : kScratchDirs) {
    auto names = observe::entries_owned(dir, private_namespaces() ? static_cast<uid_t>(-1) : sandbox_uid());
    s.files.insert(s.files.end(), names.begin(), names.end());
  }
  auto queues = observe::message_queues(private_namespaces() ? static_cast<uid_t>(-1) : sandbox_uid());
  s.files.insert(s.files.end(), queues.begin(), queues.end());
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
  if (private_namespaces()) kill_all_in_namespace();
  else kill_tree();
  int status = -1;
  if (::waitpid(call_pid, &status, 0) < 0) status = -1;
  // Reap whatever else ended: grandchildren re-parented to us.
  if (private_namespaces()) {
    while (::waitpid(-1, nullptr, 0) > 0 || errno == EINTR) {
    }
  } else {
    while (::waitpid(-1, nullptr, WNOHANG) > 0) {
    }
  }
  // What appeared during the call is the call's only where nobody else could
  // have made it: the run's own namespaces, or (root) a user of the run's
  // own. An ordinary user without namespaces shares uid, /tmp and IPC with
  // everything else they run, so nothing is removed: what the call left is
  // reported, and stays theirs to remove.
  if (!private_namespaces() && ::geteuid() != 0) return status;
  for (const auto& e : left.ipc) remove_ipc(e);
  for (const auto& f : left.files) {
    if (f.rfind(observe::kQueueDir, 0) == 0) ::mq_unlink(f.c_str() + std::strlen(observe::kQueueDir));
    std::error_code ignored;
    std::filesystem::remove_all(f, ignored);
  }
  return status;
}

}  // namespace ipclab::isolation
