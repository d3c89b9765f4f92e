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
  std::string problem;  ///< one line: "not submitted: no folder 01-pipes/ ...", "did not compile"
  std::string details;  ///< more about it for the submission's output: the compiler's messages
  bool attempted = true;         ///< the student handed in files for it
  bool machine_failure = false;  ///< the grader failed, not the student: not a grade to keep
};

/// How a submission as a whole went.
struct submission_info {
  std::string name;    ///< its id (the folder of its reports)
  std::string file;    ///< the file or folder name as handed in
  std::string status;  ///< "graded", "not graded", "could not be unpacked", "machine failure"
  std::vector<std::string> notes;  ///< files skipped or ignored, for the student
};

/// Gradescope's results.json for the whole submission: score, max_score,
/// execution_time, output (a line per chapter, its visible tests' score;
/// the notes), tests named "01-pipes: <test>" numbered "1.3" with their
/// visibility; and in extra_data the submission's name, file, status,
/// notes and each chapter's score, problem and whether it was attempted.
nlohmann::json submission_results(const submission_info& info,
                                  const std::vector<graded_chapter>& chapters, double seconds);

}  // namespace ipclab::cli
