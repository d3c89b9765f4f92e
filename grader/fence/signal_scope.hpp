#pragma once
/// @file
/// Whether this kernel can keep a process's signals among the processes of
/// its own Landlock domain (the signal scope of Landlock ABI 6, Linux 6.12).
/// Header-only: the test harness, linked into hidden tests without the
/// fence library, asks it too.
#include <sys/syscall.h>
#include <unistd.h>

namespace ipclab::fence {

/// The first Landlock ABI version with LANDLOCK_SCOPE_SIGNAL.
constexpr long first_abi_with_signal_scope = 6;

/// @return the Landlock ABI version this kernel offers, or -1 when it has
///         no Landlock (or it is switched off).
inline long landlock_abi() noexcept {
  constexpr unsigned create_ruleset_version = 1u << 0;
  long abi = ::syscall(SYS_landlock_create_ruleset, nullptr, 0, create_ruleset_version);
  return abi < 0 ? -1 : abi;
}

/// @return true when landlock_abi() offers the signal scope, so a call can
///         be kept from signalling processes it did not start even without
///         a PID namespace (policy.hpp, invariant 10).
inline bool kernel_scopes_signals() noexcept {
  return landlock_abi() >= first_abi_with_signal_scope;
}

}  // namespace ipclab::fence
