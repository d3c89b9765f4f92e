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

/// Scales a chapter's report (check --json shape) to the points
/// @p config gives @p folder, each test in proportion, and sets its
/// visible tests' visibility to the one @p config gives the chapter
/// ("hidden" hides the hidden tests too).
void apply_chapter_policy(nlohmann::json& report, const std::string& folder, const grading_config& config);

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
