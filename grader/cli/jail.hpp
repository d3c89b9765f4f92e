// `ipclab grade`: the fence around compiling an untrusted submission.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "ipclab/path_view.hpp"

namespace ipclab::cli {

/// What the compiler reads and where it writes, so that it can run as an
/// unprivileged user.
struct compile_access {
  std::vector<std::string> reads;  ///< files and folders it must read (sources, headers, library)
  std::string writes;              ///< the folder its output goes to (none: empty)
};

/// What runs in the compiler's process before exec when grading: its own
/// mount namespace (a user namespace too when not root) where @p view's
/// folders are empty (the solutions, hidden tests, other submissions) and
/// /tmp is a private tmpfs, plus limits on CPU time (120 s), memory
/// (4 GiB), file size (256 MiB) and core dumps. When the kernel refuses
/// namespaces, only the limits apply. When root, the compiler then becomes
/// a user of its own (kSandboxUidBase + its pid, group kCompileGid) if that
/// user can read and write all of @p access, so it cannot read files only
/// root may read (even where there are no namespaces); otherwise it stays
/// root.
std::function<void()> compile_jail(const path_view& view, const compile_access& access);

/// Whether this process may make the namespaces compile_jail() uses
/// (tried once in a child).
bool compile_jail_available();

/// When root, gives @p path to group kCompileGid with @p mode, so the
/// compiler's user may reach it and test calls may not; otherwise nothing.
void share_with_compile_group(const std::filesystem::path& path, std::filesystem::perms mode);

/// Whether compile_jail() can drop root for @p access (tried in a child);
/// true when not root, where there is nothing to drop.
bool compile_user_can_reach(const compile_access& access);

}  // namespace ipclab::cli
