// `ipclab grade`: the class reports, built from the submissions'
// results.json files (see grade_results.hpp).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "kit.hpp"

namespace ipclab::cli {

/// Every results.json under @p out (one folder per submission, the
/// folder's name its id), sorted by id: the class, whichever run graded each.
/// A results.json that does not parse is left out.
std::vector<nlohmann::json> load_results(const fs::path& out);

/// grades.csv: a header "submission,file,<chapter>...,total,max_score,percent,
/// raw_score,late_penalty_percent,status" (raw_score: before the late penalty),
/// then one row per submission.
std::string grades_csv(const std::vector<nlohmann::json>& results,
                       const std::vector<std::string>& chapters);

/// JUnit XML: a <testsuite> per submission and chapter, a <testcase> per
/// test, <failure> holding its output.
std::string junit_xml(const std::vector<nlohmann::json>& results);

/// summary.txt: the submissions that need attention (not graded, not
/// unpacked, a machine failure, files left out); per chapter the mean,
/// median, full marks and zeros and a histogram of scores; then the tests
/// failed most often among the submissions that attempted their chapter.
std::string class_summary(const std::vector<nlohmann::json>& results,
                          const std::vector<std::string>& chapters);

}  // namespace ipclab::cli
