// `ipclab grade`: finding submissions, unpacking them, and copying only the
// student's files into a tree the grader controls.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "check.hpp"
#include "kit.hpp"

namespace ipclab::cli {

/// One submission named on the command line.
struct submission {
  std::string name;  ///< from the folder or archive name, made unique and file-safe
  fs::path origin;   ///< the folder or archive as given
};

/// Names @p paths: "alice.zip" → "alice", "bob/" → "bob"; duplicates get
/// "-2", "-3"... Throws usage_error for a path that does not exist or is
/// neither a folder nor a .zip/.tar.gz/.tgz/.tar archive.
std::vector<submission> find_submissions(const std::vector<std::string>& paths);

/// Unpacks or reads @p s under @p work (emptied first) and copies into
/// @p work/exercises/<chapter folder>/ the regular files of each chapter in
/// @p chapters: from <tree>/<folder>/, where <tree> is the submission's
/// exercises/ folder, the submission itself, or its only subfolder; or,
/// when there is no such folder, the chapter's files (chapter.toml's
/// `files`) found loose at the top of the tree. Symbolic links are never
/// followed. An archive is unpacked behind @p fence (see unpack_archive()).
/// Returns the exercises tree; throws std::runtime_error when an archive
/// cannot be unpacked.
fs::path stage_submission(const submission& s, const fs::path& work,
                          const std::vector<const chapter*>& chapters, const fence_choice& fence);

/// The fingerprint of every file under @p tree (names and contents).
std::uint64_t tree_fingerprint(const fs::path& tree, std::uint64_t h = 1469598103934665603ull);

}  // namespace ipclab::cli
