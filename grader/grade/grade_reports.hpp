// `ipclab grade`: the class reports, built from the submissions'
// results.json files (see grade_results.hpp).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "kit.hpp"

namespace ipclab::cli {

/// grades.csv: a header "submission,<chapter>...,total,max_score", then one
/// row per submission.
std::string grades_csv(const std::vector<nlohmann::json>& results,
                       const std::vector<std::string>& chapters);

/// JUnit XML: a <testsuite> per submission and chapter, a <testcase> per
/// test, <failure> holding its output.
std::string junit_xml(const std::vector<nlohmann::json>& results);

/// summary.txt: per chapter the mean, median, full marks and zeros and a
/// histogram of scores; then the tests failed most often.
std::string class_summary(const std::vector<nlohmann::json>& results,
                          const std::vector<std::string>& chapters);

}  // namespace ipclab::cli
