// `ipclab grade --similarity`: which submissions of a class look copied
// from one another, chapter by chapter, as Dick Grune's similarity tester
// (`sim_c++`, Debian's similarity-tester) sees them once the fill-in's own
// starter text is taken out of every file.
#pragma once

#include <string>
#include <vector>

#include "kit.hpp"

namespace ipclab::cli {

/// One file of one submission found to consist largely of another's.
struct similar_files {
  std::string chapter;        ///< "01-pipes"
  std::string submission;     ///< the submission whose file is mostly the other's
  std::string file;           ///< its path inside the chapter folder
  std::string of_submission;  ///< where its material is found
  std::string of_file;
  int percent = 0;            ///< how much of `file` is found in `of_file` (sim_c++ -p)
};

/// @p source with every line that also appears in @p starter removed
/// (lines compared with their blanks collapsed; lines of punctuation alone,
/// such as a lone brace, are kept): what the student wrote, not what the
/// fill-in gave.
std::string without_starter(const std::string& source, const std::string& starter);

/// Compares, for each chapter folder in @p chapters, the sources staged
/// for every submission graded into @p out (`out/.work/<id>/exercises/<chapter>/`,
/// for each `out/<id>/results.json`) once the starter text (the kit's
/// `exercises/<chapter>/` files and the contract `chapters/<chapter>/*.hpp`)
/// is removed from each (without_starter()).
/// Returns the file pairs at or above @p threshold percent, each direction
/// apart, sorted by chapter then percent (highest first). Throws
/// std::runtime_error when sim_c++ is missing or fails.
std::vector<similar_files> find_similar(const kit& k, const fs::path& out,
                                        const std::vector<std::string>& chapters, int threshold);

/// Writes `out/similarity.txt` (per chapter, each pair of submissions with
/// its highest percentage and the files behind it) and `out/similarity.csv`
/// (one row per similar_files) for @p chapters at @p threshold percent.
/// Never throws: when sim_c++ is missing or fails, says so on stderr and in
/// similarity.txt (how to install it) and writes no CSV. Returns the line
/// to print after grading.
std::string write_similarity_report(const kit& k, const fs::path& out,
                                    const std::vector<std::string>& chapters, int threshold);

}  // namespace ipclab::cli
