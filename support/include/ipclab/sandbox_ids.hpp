/// @file sandbox_ids.hpp
/// @brief The user and group ids untrusted code runs as, when the kit is root.
#pragma once

#include <sys/types.h>

namespace ipclab {

/// Untrusted processes (a test run's calls, a submission's compiler) run as
/// the user kSandboxUidBase + the pid of the process that starts them: a
/// user of their own, which owns no file and whose processes are easy to
/// find and kill (every uid from this base up belongs to the kit).
constexpr uid_t kSandboxUidBase = 1000000000;

/// The group of the compiler when grading: it may read the staged
/// submissions (folders of mode 0750, group this) and write its output;
/// test calls, whose group is their own uid, may not.
constexpr gid_t kCompileGid = kSandboxUidBase - 1;

}  // namespace ipclab
