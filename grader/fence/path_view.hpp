/// @file path_view.hpp
/// @brief What a fenced process may see of the file system: folders
///        covered by an empty file system, with chosen paths beneath them
///        put back.
#pragma once

#include <string>
#include <vector>

namespace ipclab::fence {

/// Folders to hide, folders to replace by an empty scratch space, and
/// paths beneath either to keep.
struct path_view {
  std::vector<std::string> hidden;   ///< absolute folders covered, read-only (missing ones skipped)
  std::vector<std::string> kept;     ///< absolute paths under a hidden or scratch folder, shown again
  std::vector<std::string> scratch;  ///< folders replaced by a fresh writable tmpfs (/tmp, /dev/shm)
};

/// Applies @p view to the calling process's mount namespace, which must be
/// its own (after unshare(CLONE_NEWNS)) and which is first made private so
/// nothing propagates back. Every kept path is opened first. Then each
/// scratch folder gets a fresh tmpfs (mode 1777, 512 MiB) and the kept
/// paths beneath it are bind-mounted back at their own place; then each
/// hidden folder that exists (now) is covered by an empty read-only tmpfs
/// and the kept paths beneath it are bound back likewise. So a kept folder
/// under /tmp comes back with its hidden subfolders still hidden.
/// Stops at the first step that fails.
/// @param view  the folders to hide and the paths to keep
/// @return "" when every step succeeded, else the step that failed, e.g.
///         "mount a private tmpfs on /tmp" (errno as mount() or open() set it)
std::string apply_path_view(const path_view& view);

/// The top-level folders of / that a system-only view keeps: the programs,
/// libraries and configuration a compiler or an archiver needs.
inline constexpr const char* kSystemDirs[] = {"usr", "bin", "sbin", "lib", "lib32", "lib64",
                                              "libx32", "etc", "dev", "proc", "sys"};

/// Every real folder at the top of / (symbolic links skipped: they lead
/// into folders listed here or into kept ones) except kSystemDirs and
/// @p scratch: the folders a system-only view hides.
std::vector<std::string> all_but_system(const std::vector<std::string>& scratch);

}  // namespace ipclab::fence
