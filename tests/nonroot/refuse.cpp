// refuse WHAT COMMAND...: runs COMMAND where the kernel refuses WHAT, the way
// an older kernel or a container's seccomp profile does:
//   pidfd       pidfd_open() fails with ENOSYS (as before Linux 5.3);
//   namespaces  unshare(), setns() and clone() of new namespaces fail with
//               EPERM, clone3() with ENOSYS (as under Docker's default profile);
//   landlock    landlock_create_ruleset() fails with ENOSYS (as before Linux 5.13).
// Filters stack: `refuse namespaces refuse landlock COMMAND` refuses both.
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <string_view>
#include <vector>

namespace {

constexpr unsigned kNamespaces = CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWIPC |
                                 CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWCGROUP;

std::vector<sock_filter> rules(std::string_view what) {
  const auto nr = static_cast<unsigned>(offsetof(seccomp_data, nr));
  const auto arg0 = static_cast<unsigned>(offsetof(seccomp_data, args[0]));
  if (what == "pidfd")
    return {BPF_STMT(BPF_LD | BPF_W | BPF_ABS, nr),
            BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_pidfd_open, 0, 1),
            BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
            BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)};
  if (what == "landlock")
    return {BPF_STMT(BPF_LD | BPF_W | BPF_ABS, nr),
            BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_landlock_create_ruleset, 0, 1),
            BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
            BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)};
  if (what == "namespaces")
    return {BPF_STMT(BPF_LD | BPF_W | BPF_ABS, nr),                   // 0
            BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_unshare, 6, 0),    // 1 -> 8
            BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_setns, 5, 0),      // 2 -> 8
            BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone3, 5, 0),     // 3 -> 9
            BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone, 1, 0),      // 4 -> 6
            BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),              // 5
            BPF_STMT(BPF_LD | BPF_W | BPF_ABS, arg0),                  // 6: clone's flags
            BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, kNamespaces, 0, 2),   // 7 -> 8 or 10
            BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),      // 8
            BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),     // 9
            BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)};             // 10
  return {};
}

}  // namespace

int main(int argc, char* argv[]) {
  auto code = argc < 3 ? std::vector<sock_filter>{} : rules(argv[1]);
  if (code.empty()) {
    std::fprintf(stderr, "usage: %s pidfd|namespaces|landlock COMMAND [ARG...]\n", argv[0]);
    return 2;
  }
  sock_fprog prog{static_cast<unsigned short>(code.size()), code.data()};
  if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
      ::prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) != 0) {
    std::perror("refuse: seccomp");
    return 1;
  }
  ::execvp(argv[2], argv + 2);
  std::perror(argv[2]);
  return 127;
}
