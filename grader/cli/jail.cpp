// The compiler's fence when grading: namespaces, hidden folders, limits, user.
#include "jail.hpp"

#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ipclab/sandbox_ids.hpp"
#include "ipclab/unshare.hpp"

namespace ipclab::cli {
namespace {

void limit(int resource, rlim_t value) {
  rlimit r{value, value};
  ::setrlimit(resource, &r);
}

// With the compiler's ids as effective ids (root stays the saved id), check
// every path it needs; then drop root for good, or come back to it.
bool become_compile_user(const compile_access& access) {
  uid_t uid = kSandboxUidBase + static_cast<uid_t>(::getpid());
  gid_t gid = kCompileGid;
  if (::setgroups(1, &gid) != 0 || ::setegid(gid) != 0 || ::seteuid(uid) != 0) return false;
  bool reachable = access.writes.empty() ||
                   ::faccessat(AT_FDCWD, access.writes.c_str(), W_OK | X_OK, AT_EACCESS) == 0;
  for (const auto& p : access.reads)
    reachable = reachable && ::faccessat(AT_FDCWD, p.c_str(), R_OK, AT_EACCESS) == 0;
  if (::seteuid(0) != 0) ::_exit(125);  // cannot happen: root is the saved id
  if (reachable) return ::setgid(gid) == 0 && ::setuid(uid) == 0;
  ::setgroups(0, nullptr);
  ::setegid(0);
  return false;
}

// Tries @p attempt in a child, so whatever it changes dies with the child.
bool succeeds_in_child(const std::function<bool()>& attempt) {
  pid_t pid = ::fork();
  if (pid == 0) ::_exit(attempt() ? 0 : 1);
  int status = 0;
  return pid > 0 && ::waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
         WEXITSTATUS(status) == 0;
}

}  // namespace

std::function<void()> compile_jail(const path_view& view, const compile_access& access) {
  return [view, access] {
    limit(RLIMIT_CPU, 120);
    limit(RLIMIT_AS, rlim_t{4} << 30);
    limit(RLIMIT_FSIZE, rlim_t{256} << 20);
    limit(RLIMIT_CORE, 0);
    if (unshare_as_self(CLONE_NEWNS) == 0) {
      path_view own = view;
      own.scratch = {"/tmp"};
      if (apply_path_view(own) != 0) {
        const char msg[] = "ipclab: cannot hide the kit's private folders from the compiler\n";
        [[maybe_unused]] auto n = ::write(STDERR_FILENO, msg, sizeof msg - 1);
        ::_exit(125);
      }
    }
    if (::geteuid() == 0) become_compile_user(access);
  };
}

bool compile_jail_available() {
  return succeeds_in_child([] { return unshare_as_self(CLONE_NEWNS) == 0; });
}

void share_with_compile_group(const std::filesystem::path& path, std::filesystem::perms mode) {
  if (::geteuid() == 0 && ::chown(path.c_str(), 0, kCompileGid) == 0)
    std::filesystem::permissions(path, mode);
}

bool compile_user_can_reach(const compile_access& access) {
  return ::geteuid() != 0 || succeeds_in_child([&] { return become_compile_user(access); });
}

}  // namespace ipclab::cli
