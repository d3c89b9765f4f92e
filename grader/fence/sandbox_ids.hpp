/// @file sandbox_ids.hpp
/// @brief The user and group ids untrusted code runs as, when the kit is root.
#pragma once

#include <sys/types.h>

#include <cstdint>

namespace ipclab::fence {

/// Untrusted processes run as users numbered from here (a test run's calls:
/// kSandboxUidBase + the pid of the runner), users of their own that own no
/// file and whose processes are easy to find and kill.
constexpr uid_t kSandboxUidBase = 1000000000;

/// The first of the ids a submission is unpacked and compiled as when
/// grading (above every pid-derived call id).
constexpr uid_t kSubmissionIdBase = kSandboxUidBase + (1u << 30);

/// The user, and the group of the same number, that unpacks and compiles
/// the submission staged at @p key (its staging folder): one per
/// submission, so that no submission's compiler can read another's files.
constexpr uid_t submission_id(std::uint64_t key) {
  return kSubmissionIdBase + static_cast<uid_t>(key % (1u << 29));
}

}  // namespace ipclab::fence
