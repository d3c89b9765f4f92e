// The call process's privileges: none. Capabilities, no_new_privs, kill(-1).
#include "privileges.hpp"

#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <linux/securebits.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>

namespace ipclab::sandbox::child_side {
namespace {

#if defined(__x86_64__)
constexpr std::uint32_t kArch = AUDIT_ARCH_X86_64;
constexpr std::uint32_t kForeignNumbers = 0x40000000;  // x32 system calls
#elif defined(__aarch64__)
constexpr std::uint32_t kArch = AUDIT_ARCH_AARCH64;
constexpr std::uint32_t kForeignNumbers = 0xffffffff;
#else
#error "the call's system call filter knows x86-64 and AArch64 only"
#endif

bool capabilities(__user_cap_data_struct (&data)[2]) noexcept {
  __user_cap_header_struct head{_LINUX_CAPABILITY_VERSION_3, 0};
  return ::syscall(SYS_capget, &head, data) == 0;
}

bool clear_capabilities() noexcept {
  __user_cap_header_struct head{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct none[2]{};
  ::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
  if (::syscall(SYS_capset, &head, none) != 0) return false;
  __user_cap_data_struct now[2]{};
  if (!capabilities(now)) return false;
  for (const auto& d : now)
    if (d.effective != 0 || d.permitted != 0 || d.inheritable != 0) return false;
  return true;  // the ambient set is within permitted and inheritable: empty too
}

// A signal to pid -1 (the low 32 bits: pid_t is an int) fails with EPERM;
// system calls of another ABI fail with ENOSYS, so none slips by under
// another number.
bool forbid_kill_all() noexcept {
  constexpr auto arg0 = static_cast<std::uint32_t>(offsetof(seccomp_data, args[0]));
  constexpr auto nr = static_cast<std::uint32_t>(offsetof(seccomp_data, nr));
  constexpr auto arch = static_cast<std::uint32_t>(offsetof(seccomp_data, arch));
  sock_filter code[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, arch),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, kArch, 1, 0),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, nr),
      BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, kForeignNumbers, 0, 1),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_kill, 2, 0),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_tgkill, 1, 0),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, arg0),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0xffffffff, 0, 1),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  sock_fprog prog{static_cast<unsigned short>(sizeof code / sizeof code[0]), code};
  return ::prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) == 0;
}

}  // namespace

void drop_bounding_set() noexcept {
  __user_cap_data_struct now[2]{};
  if (!capabilities(now) || (now[0].effective & (1u << CAP_SETPCAP)) == 0) return;
  for (int cap = 0; ::prctl(PR_CAPBSET_READ, cap, 0, 0, 0) >= 0; ++cap)
    ::prctl(PR_CAPBSET_DROP, cap, 0, 0, 0);
  ::prctl(PR_SET_SECUREBITS, SECBIT_NOROOT | SECBIT_NOROOT_LOCKED | SECBIT_NO_CAP_AMBIENT_RAISE |
                                 SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED, 0, 0, 0);
}

bool drop_privileges() noexcept {
  drop_bounding_set();
  return ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 && clear_capabilities() &&
         forbid_kill_all() && confine_signals();
}

}  // namespace ipclab::sandbox::child_side
