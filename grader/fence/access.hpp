/// @file access.hpp
/// @brief Who may read a submission's staged files while it is graded: root,
///        and during its own unpacking and compiling, its own user's group.
#pragma once

#include <sys/types.h>

#include <filesystem>

namespace ipclab::fence {

/// When root, gives @p path (and, for a folder, everything beneath it) to
/// owner root and group @p gid: folders get @p folder_mode, files
/// @p file_mode. Not root: nothing (the files are already the caller's
/// own). Symbolic links are left as they are.
void grant(const std::filesystem::path& path, gid_t gid, std::filesystem::perms folder_mode,
           std::filesystem::perms file_mode);

/// grant() with group root and owner-only modes: no other user may read
/// @p path any more.
void revoke(const std::filesystem::path& path);

}  // namespace ipclab::fence
