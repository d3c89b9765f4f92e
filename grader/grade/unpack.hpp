// `ipclab grade`: unpacking a submitted archive behind the fence.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "check.hpp"
#include "kit.hpp"

namespace ipclab::cli {

// Archive limits: a class's submissions are source files, kilobytes each.
inline constexpr std::uintmax_t kMaxArchive = 32u << 20;   ///< bytes, as submitted
inline constexpr std::uintmax_t kMaxFile = 16u << 20;      ///< bytes, any one unpacked file
inline constexpr std::uintmax_t kMaxUnpacked = 64u << 20;  ///< bytes, everything unpacked
inline constexpr std::size_t kMaxEntries = 5000;           ///< files and folders

/// The user (and group of the same number) that unpacks and compiles the
/// submission staged in @p work; -1 when not root (nobody else to be).
uid_t submission_user(const fs::path& work);

/// Unpacks @p archive (a zip when @p zip, else a tar, maybe compressed)
/// into @p into, which must not exist. First its own listing is read, and
/// an archive of more than kMaxEntries entries or kMaxUnpacked bytes is
/// refused before anything is written; then the archiver runs behind the
/// fence of @p choice: a system-only view (the archive and @p into kept),
/// as @p user when root, no file larger than kMaxFile, limited CPU time
/// and memory. What it wrote is measured again after. Members the
/// archiver refused or cut short (a path with "..", a file over kMaxFile)
/// are skipped and returned as notes, in the student's terms. Throws
/// unpack_error (the archive's fault: damaged, a cap passed) or
/// machine_error (no archiver here, or it crashed).
std::vector<std::string> unpack_archive(const fs::path& archive, bool zip, const fs::path& into,
                                        uid_t user, const fence_choice& choice);

}  // namespace ipclab::cli
