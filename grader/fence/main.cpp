// ipclab-fence [POLICY] -- PROGRAM ARGS...: applies the policy (see
// policy.hpp) to itself, then execs PROGRAM; refuses (exit 125, naming the
// step) when any step of it fails. Single-threaded from start to exec.
#include <linux/capability.h>
#include <sched.h>
#include <sys/syscall.h>
#include <signal.h>
#include <sys/prctl.h>
#include <grp.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "fence/policy.hpp"
#include "fence/unshare.hpp"

namespace {

using namespace ipclab::fence;

[[noreturn]] void refuse(const std::string& step, const char* why) {
  std::fprintf(stderr, "ipclab-fence: refused: %s: %s\n", step.c_str(), why);
  std::exit(kRefused);
}

[[noreturn]] void refuse_errno(const std::string& step) { refuse(step, std::strerror(errno)); }

void enter_namespaces(unsigned asked) {
  int flags = 0;
  if (asked & mount_ns) flags |= CLONE_NEWNS;
  if (asked & ipc_ns) flags |= CLONE_NEWIPC;
  if (asked & pid_ns) flags |= CLONE_NEWPID;
  if (flags != 0 && unshare_as_self(flags) != 0) refuse_errno("make the namespaces it asks for (unshare)");
}

// Not root: the test binary must still mount its PID namespace's /proc,
// which needs CAP_SYS_ADMIN in our user namespace, and exec would drop it.
void keep_admin_across_exec(const policy& p) {
  if (::geteuid() == 0 || !(p.namespaces & pid_ns)) return;
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2] = {};
  if (::syscall(SYS_capget, &header, data) != 0) refuse_errno("read its capabilities");
  data[0].inheritable |= 1u << CAP_SYS_ADMIN;
  if (::syscall(SYS_capset, &header, data) != 0 ||
      ::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_SYS_ADMIN, 0, 0) != 0)
    refuse_errno("keep CAP_SYS_ADMIN of its user namespace for the test binary");
}

void apply_view(const policy& p) {
  if (!(p.namespaces & mount_ns)) return;  // a weaker fence, accepted by the caller
  path_view view = p.view;
  if (p.system_only) {
    auto rest = all_but_system(view.scratch);
    view.hidden.insert(view.hidden.end(), rest.begin(), rest.end());
  }
  if (auto failed = apply_path_view(view); !failed.empty()) refuse_errno(failed);
}

void apply_limits(const policy& p) {
  for (const auto& l : p.limits) {
    rlimit r{l.value, l.value};
    if (::setrlimit(l.resource, &r) != 0) refuse_errno("set resource limit " + std::to_string(l.resource));
    // A file too large then fails with EFBIG, which the program can report.
    if (l.resource == RLIMIT_FSIZE) ::signal(SIGXFSZ, SIG_IGN);
  }
}

void become_user(const policy& p) {
  if (p.uid == static_cast<uid_t>(-1)) return;
  std::string step = "become user " + std::to_string(p.uid) + " group " + std::to_string(p.gid);
  if (::setgroups(0, nullptr) != 0 || ::setgid(p.gid) != 0 || ::setuid(p.uid) != 0) refuse_errno(step);
  if (::getuid() != p.uid || ::geteuid() != p.uid || ::getgid() != p.gid || ::getegid() != p.gid ||
      ::getgroups(0, nullptr) != 0)
    refuse(step, "the ids did not all change");
}

}  // namespace

int main(int argc, char* argv[]) {
  const pid_t parent = ::getppid();
  std::vector<std::string> args(argv + 1, argv + argc);
  policy p;
  std::size_t target = 0;
  try {
    p = from_args(args, target);
  } catch (const std::exception& e) {
    refuse("read the policy", e.what());
  }
  if (auto rule = broken_rule(p); !rule.empty()) refuse("check the policy", rule.c_str());

  enter_namespaces(p.namespaces);
  apply_view(p);
  apply_limits(p);
  become_user(p);
  keep_admin_across_exec(p);
  if (!p.workdir.empty() && ::chdir(p.workdir.c_str()) != 0) refuse_errno("enter " + p.workdir);
  if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) refuse_errno("set no_new_privs");
  // Set last: a change of user clears it. Dies with whoever started it.
  if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) refuse_errno("ask to die with its parent");
  if (::getppid() != parent) refuse("start the target", "the command that started the fence is gone");

  std::vector<char*> cargs;
  for (std::size_t i = target; i < args.size(); ++i) cargs.push_back(argv[i + 1]);
  cargs.push_back(nullptr);
  ::execvp(cargs[0], cargs.data());
  std::fprintf(stderr, "ipclab-fence: cannot run %s: %s\n", cargs[0], std::strerror(errno));
  return 127;
}
