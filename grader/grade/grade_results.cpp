// Merging a submission's chapter reports into one Gradescope results.json.
#include "grade_results.hpp"

#include <cmath>

#include <fmt/format.h>

namespace ipclab::cli {

nlohmann::json submission_results(const std::string& name,
                                  const std::vector<graded_chapter>& chapters, double seconds) {
  int score = 0, max_score = 0;
  std::string output;
  nlohmann::json tests = nlohmann::json::array();
  nlohmann::json per_chapter = nlohmann::json::object();
  for (const auto& c : chapters) {
    int s = c.report.value("score", 0), m = c.report.value("max_score", 0);
    score += s;
    max_score += m;
    output += fmt::format("{}: {}/{}{}\n", c.folder, s, m, c.problem.empty() ? "" : " — " + c.problem);
    if (!c.details.empty()) output += c.details + (c.details.back() == '\n' ? "" : "\n");
    int chapter_number = std::stoi(c.folder.substr(0, 2));
    for (const auto& t : c.report.value("tests", nlohmann::json::array())) {
      nlohmann::json test = t;
      test["name"] = c.folder + ": " + t.value("name", "");
      test["number"] = fmt::format("{}.{}", chapter_number, t.value("number", ""));
      test["visibility"] = t.value("visibility", "visible");
      if (!c.problem.empty() && test.value("status", "") != "passed")
        test["output"] = c.problem + "\n" + t.value("output", "");
      tests.push_back(test);
    }
    per_chapter[c.folder] = {{"score", s}, {"max_score", m}, {"problem", c.problem}};
  }
  return {{"score", score},
          {"max_score", max_score},
          {"execution_time", std::round(seconds * 1000) / 1000},
          {"output", output},
          {"visibility", "visible"},
          {"stdout_visibility", "hidden"},
          {"tests", tests},
          {"extra_data", {{"submission", name}, {"chapters", per_chapter}}}};
}

}  // namespace ipclab::cli
