// `ipclab grade --config FILE`: a course's grading policy, kept in version
// control beside its hidden tests (TOML):
//
//     chapters = ["01-pipes", "02-popen"]     # what is graded (default: all)
//     hidden = "hidden"                        # hidden tests, relative to this file
//     [points]                                 # a chapter's weight: its score scaled to N
//     "01-pipes" = 20
//     [visibility]                             # hidden, after_due_date, after_published, visible
//     "02-popen" = "after_due_date"
//     [tests."01-pipes"."each command holds only fds 0, 1 and 2"]
//     points = 4                               # one test's points and visibility
//     visibility = "hidden"
//     time_scale = 2                           # its calls' time limits ×2 (0.5 to 4)
//     [late]
//     due = "2026-12-01T23:59:00Z"             # ISO 8601, with Z or an offset
//     percent_per_day = 10                     # off the score per day late, started
//     max_days = 5                             # later than this: 0
#pragma once

#include <ctime>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "kit.hpp"

namespace ipclab::cli {

/// The late policy: a penalty per started day after the due date.
struct late_policy {
  std::optional<std::time_t> due;  ///< unset: the due date comes with each submission (Gradescope)
  double percent_per_day = 0;
  int max_days = 0;                ///< 0: no limit; later than this many days scores 0
};

/// The bounds of a test's time_scale: a course may give a test up to 4
/// times the time its calls are allowed, or take up to half of it away.
inline constexpr double kMinTimeScale = 0.5, kMaxTimeScale = 4;

/// One test's points, visibility and time limits, where the config sets them.
struct test_policy {
  std::optional<double> points;
  std::string visibility;             ///< empty: the chapter's
  std::optional<double> time_scale;   ///< its calls' wall-clock limits times this
};

/// A course's grading policy (see the file's head for its TOML shape).
struct grading_config {
  std::vector<std::string> chapters;               ///< empty: as the command line says
  fs::path hidden;                                 ///< empty: none
  std::map<std::string, double> points;            ///< chapter folder → points it is worth
  std::map<std::string, std::string> visibility;   ///< chapter folder → Gradescope visibility
  /// chapter folder → test name (as in the chapter's tests) → its policy
  std::map<std::string, std::map<std::string, test_policy>> tests;
  std::optional<late_policy> late;
  std::string text;                                ///< the file as read, for fingerprints
};

/// Reads @p file. Throws usage_error naming the key for anything not
/// understood (an unknown key, a visibility Gradescope does not know, a
/// date that does not parse, a time_scale out of its bounds).
grading_config load_config(const fs::path& file);

/// "2026-12-01T23:59:00Z", "2018-07-01T14:22:32.365935-07:00" (fraction
/// ignored) → seconds since the epoch; std::nullopt when it does not parse.
std::optional<std::time_t> parse_time(const std::string& iso);

}  // namespace ipclab::cli
