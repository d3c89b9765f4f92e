// Asking the kernel which Landlock ABI it offers.
#include "signal_scope.hpp"

#include <sys/syscall.h>
#include <unistd.h>

namespace ipclab::fence {

long landlock_abi() noexcept {
  constexpr unsigned create_ruleset_version = 1u << 0;
  long abi = ::syscall(SYS_landlock_create_ruleset, nullptr, 0, create_ruleset_version);
  return abi < 0 ? -1 : abi;
}

bool kernel_scopes_signals() noexcept { return landlock_abi() >= first_abi_with_signal_scope; }

}  // namespace ipclab::fence
