// `ipclab grade`: one submission's results.json, shaped like Gradescope's,
// and files written so that a reader never sees half of one.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "kit.hpp"

namespace ipclab::cli {

/// One chapter of one submission: the chapter's report (check --json
/// shape) and, when it scored 0 without running the student's code, why.
struct graded_chapter {
  std::string folder;
  nlohmann::json report;
  std::string problem;  ///< one line: "no folder 01-pipes in the submission", "did not compile"
  std::string details;  ///< more about it for the submission's output: the compiler's messages
};

/// Gradescope's results.json for the whole submission: score, max_score,
/// execution_time, output (a line per chapter), tests named
/// "01-pipes: <test>" numbered "1.3", visibility "visible"; and in
/// extra_data the submission's name and each chapter's score.
nlohmann::json submission_results(const std::string& name,
                                  const std::vector<graded_chapter>& chapters, double seconds);


}  // namespace ipclab::cli
