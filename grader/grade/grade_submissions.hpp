// `ipclab grade`: finding submissions, unpacking them, and copying only the
// student's files into a tree the grader controls.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "check.hpp"
#include "kit.hpp"
#include "submission_layout.hpp"

namespace ipclab::cli {

/// One submission named on the command line.
struct submission {
  std::string name;         ///< from the folder or archive name, made unique and file-safe
  fs::path origin;          ///< the folder or archive as given
  std::string unsupported;  ///< why it cannot be graded at all (a .rar, a lone file), or empty
};

/// The grading machine failed, not the submission (a tool missing, a test
/// run that crashed or timed out): never recorded as a grade.
struct machine_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// The submission's archive could not be unpacked (damaged, too large).
struct unpack_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Names @p paths: "alice.zip" → "alice", "bob/" → "bob", "José García.zip"
/// → "José_García". Ids that collide are told apart in the order of their
/// paths (sorted, so never by argument order): the first keeps the id, the
/// others get "-2", "-3"... A file that is neither a folder nor a .zip,
/// .tar.gz, .tgz or .tar archive is a submission with `unsupported` set.
/// Throws usage_error for a path that does not exist.
std::vector<submission> find_submissions(const std::vector<std::string>& paths);

/// A submission's sources, staged.
struct staged_submission {
  fs::path tree;             ///< the exercises tree: tree/<chapter folder>/...
  submission_layout layout;  ///< chapters not found, files ignored
};

/// Unpacks or reads @p s under @p work (emptied first) and stages the
/// sources of each chapter in @p chapters (see stage_layout()) into
/// @p work/exercises/. Members an archive may not hold (a path with "..")
/// are skipped and noted. Throws unpack_error when the archive cannot be
/// unpacked, machine_error when this machine cannot unpack it. An archive
/// is unpacked behind @p fence (see unpack_archive()).
staged_submission stage_submission(const submission& s, const fs::path& work,
                                   const std::vector<const chapter*>& chapters,
                                   const fence_choice& fence);

/// The fingerprint of every file under @p tree (names and contents).
std::uint64_t tree_fingerprint(const fs::path& tree, std::uint64_t h = 1469598103934665603ull);

}  // namespace ipclab::cli
