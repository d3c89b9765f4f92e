// `ipclab grade`: finding a student's chapters in whatever tree they handed
// in (exercises/, bare chapter folders, slug folders, loose files, wrapped
// in a folder of their own, beside a README) and copying only their source
// files into a tree the grader controls. Reading, never unpacking.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "kit.hpp"

namespace ipclab::cli {

/// What was found in one submission's tree.
struct submission_layout {
  /// Chapter folder → why it has nothing to compile, in the student's
  /// terms ("no folder 01-pipes/ ..."; "found pipes.c ... rename it").
  /// Chapters absent from this map were staged.
  std::map<std::string, std::string> missing;
  /// What was left out and why ("01-pipes/core: not a source file"), in
  /// paths relative to the submission, never the grader's.
  std::vector<std::string> notes;
};

/// Finds the chapters of @p chapters in @p root and copies each chapter's
/// source files (.cpp, .hpp, .h, ...) to @p staged/<chapter folder>/. A
/// chapter's files are its folder ("01-pipes" or its slug "pipes") under
/// the tree, or the chapter.toml `files` lying loose at the tree's top,
/// with the helper sources beside them. The tree is the shallowest folder
/// (up to 4 levels down) named exercises/ or holding a chapter folder,
/// else the shallowest holding a chapter's file. Other files are ignored
/// and noted; symbolic links are never followed.
submission_layout stage_layout(const fs::path& root, const fs::path& staged,
                               const std::vector<const chapter*>& chapters);

/// A readable, file-safe id for a submission's file name: "José García.zip"
/// → "José_García" (UTF-8 letters kept; spaces and punctuation become '_').
std::string submission_id(const fs::path& origin);

}  // namespace ipclab::cli
