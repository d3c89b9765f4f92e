#pragma once
/// @file
/// Whether this kernel can keep a process's signals among the processes of
/// its own Landlock domain (the signal scope of Landlock ABI 6, Linux 6.12).

namespace ipclab::fence {

/// The first Landlock ABI version with LANDLOCK_SCOPE_SIGNAL.
constexpr long first_abi_with_signal_scope = 6;

/// @return the Landlock ABI version this kernel offers, or -1 when it has
///         no Landlock (or it is switched off).
long landlock_abi() noexcept;

/// @return true when landlock_abi() offers the signal scope, so a call can
///         be kept from signalling processes it did not start even without
///         a PID namespace (policy.hpp, invariant 10).
bool kernel_scopes_signals() noexcept;

}  // namespace ipclab::fence
