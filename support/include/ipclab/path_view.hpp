/// @file path_view.hpp
/// @brief What a sandboxed process may see of the file system: folders
///        covered by an empty file system, with chosen paths beneath them
///        put back.
#pragma once

#include <string>
#include <vector>

namespace ipclab {

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
/// @param view  the folders to hide and the paths to keep
/// @return 0, or -1 with errno as mount(), open() or mkdir() set it.
int apply_path_view(const path_view& view);

/// The list form used in the environment: the folders joined with ':'.
/// @param folders  absolute paths (none may hold ':')
/// @return "a:b:c"
std::string join_paths(const std::vector<std::string>& folders);

/// The inverse of join_paths(); empty items are dropped.
/// @param list  "a:b:c" or null
/// @return the folders
std::vector<std::string> split_paths(const char* list);

}  // namespace ipclab
