// Merging a submission's chapter reports into one Gradescope results.json.
#include "grade_results.hpp"

#include <cmath>

#include <fmt/format.h>

#include "grade_policy.hpp"

namespace ipclab::cli {

nlohmann::json submission_results(const submission_info& info,
                                  const std::vector<graded_chapter>& chapters, double seconds) {
  double score = 0, max_score = 0;
  std::string output;
  nlohmann::json tests = nlohmann::json::array();
  nlohmann::json per_chapter = nlohmann::json::object();
  for (const auto& c : chapters) {
    double s = c.report.value("score", 0.0), m = c.report.value("max_score", 0.0);
    score += s;
    max_score += m;
    // Before the due date a student sees the visible tests only: so does this line.
    double shown = 0, shown_max = 0;
    bool hidden = false;
    int chapter_number = std::stoi(c.folder.substr(0, 2));
    for (const auto& t : c.report.value("tests", nlohmann::json::array())) {
      nlohmann::json test = t;
      test["name"] = c.folder + ": " + t.value("name", "");
      test["number"] = fmt::format("{}.{}", chapter_number, t.value("number", ""));
      test["visibility"] = t.value("visibility", "visible");
      std::string out = t.value("output", "");
      if (!c.problem.empty() && test.value("status", "") != "passed" && out.rfind(c.problem, 0) != 0)
        test["output"] = c.problem + "\n" + out;
      if (test["visibility"] == "visible") {
        shown += t.value("score", 0.0);
        shown_max += t.value("max_score", 0.0);
      } else {
        hidden = true;
      }
      tests.push_back(test);
    }
    output += fmt::format("{}: {}/{}{}{}\n", c.folder, score_number(shown).dump(), score_number(shown_max).dump(),
                          hidden ? " (hidden tests: after the due date)" : "",
                          c.problem.empty() ? "" : " — " + c.problem);
    if (!c.details.empty()) output += c.details + (c.details.back() == '\n' ? "" : "\n");
    per_chapter[c.folder] = {{"score", score_number(s)}, {"max_score", score_number(m)}, {"problem", c.problem},
                             {"attempted", c.attempted}};
  }
  if (!info.notes.empty()) {
    output += "\nLeft out of grading:\n";
    for (const auto& n : info.notes) output += "  " + n + "\n";
  }
  return {{"score", score_number(score)},
          {"max_score", score_number(max_score)},
          {"execution_time", std::round(seconds * 1000) / 1000},
          {"output", output},
          {"visibility", "visible"},
          {"stdout_visibility", "hidden"},
          {"tests", tests},
          {"extra_data",
           {{"submission", info.name}, {"file", info.file}, {"status", info.status},
            {"notes", info.notes}, {"chapters", per_chapter}}}};
}

}  // namespace ipclab::cli
