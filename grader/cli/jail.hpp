// `ipclab grade`: the fence around compiling an untrusted submission.
#pragma once

#include <functional>

#include "ipclab/path_view.hpp"

namespace ipclab::cli {

/// What runs in the compiler's process before exec when grading: its own
/// mount namespace (a user namespace too when not root) where @p view's
/// folders are empty (the solutions, hidden tests, other submissions) and
/// /tmp is a private tmpfs, plus limits on CPU time (120 s), memory
/// (4 GiB), file size (256 MiB) and core dumps. When the kernel refuses
/// namespaces, only the limits apply.
std::function<void()> compile_jail(const path_view& view);

/// Whether this process may make the namespaces compile_jail() uses
/// (tried once in a child).
bool compile_jail_available();

}  // namespace ipclab::cli
