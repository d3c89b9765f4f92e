/// @file unshare.hpp
/// @brief New namespaces for the calling process, as root or as anyone.
#pragma once

namespace ipclab::fence {

/// unshare(2) with @p flags (CLONE_NEWNS, CLONE_NEWPID...). When not root,
/// adds CLONE_NEWUSER and maps the caller's uid and gid to themselves in
/// it, so an ordinary user may make the other namespaces and keeps its own
/// identity inside.
/// @return 0, or -1 with errno set (EPERM or EINVAL where the kernel or its
///         settings refuse; the error of the id mapping when that fails).
int unshare_as_self(int flags) noexcept;

}  // namespace ipclab::fence
