// `ipclab grade`: a course's policy applied to the scores: a chapter's
// points, its tests' visibility, and the penalty for handing in late.
#pragma once

#include <ctime>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "grade_config.hpp"

namespace ipclab::cli {

/// When a submission was handed in, and when it was due (if it says).
struct submission_time {
  std::time_t submitted = 0;
  std::optional<std::time_t> due;
};

/// A score as JSON: an integer when it is one, else rounded to 2 decimals.
nlohmann::json score_number(double x);

/// Applies @p config to a chapter's report (check --json shape): its
/// visible tests take the chapter's visibility ("hidden" hides the hidden
/// tests too), then each test named in [tests] its own points (a pass
/// earns them all, a part in proportion) and visibility; last the chapter
/// is scaled to the points [points] gives it, each test in proportion.
void apply_chapter_policy(nlohmann::json& report, const std::string& folder, const grading_config& config);

/// The test runner's arguments giving the tests of @p folder that @p config
/// names a time_scale theirs: "--time-scale", "NAME=FACTOR" for each; for
/// the runner of the hidden tests (@p hidden), those named "[hidden] NAME"
/// (as reports name them), else the others.
std::vector<std::string> time_scale_args(const grading_config& config, const std::string& folder,
                                         bool hidden);

/// Takes the late penalty off a submission's results.json: per started day
/// after the due date (@p when's own, else @p late's), percent_per_day
/// off, all of it past max_days. Records extra_data.raw_score and
/// extra_data.late {days, penalty_percent} and says it in the output.
void apply_late_policy(nlohmann::json& results, const late_policy& late, const submission_time& when);

/// Gradescope's submission_metadata.json: created_at and
/// assignment.due_date. std::nullopt when it lacks them.
std::optional<submission_time> time_from_metadata(const fs::path& file);

/// The rows of a CSV file (RFC 4180 quoting), header included.
std::vector<std::vector<std::string>> read_csv(const fs::path& file);

/// A CSV of submission times, header "submission,submitted_at": the
/// submission's id or file name → when it was handed in. Throws
/// usage_error for a time that does not parse.
std::map<std::string, std::time_t> load_submission_times(const fs::path& csv);

}  // namespace ipclab::cli
