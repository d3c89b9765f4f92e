// A submission's feedback page in Markdown.
#include "grade_feedback.hpp"

#include <fmt/format.h>

namespace ipclab::cli {

std::string feedback_md(const nlohmann::json& results,
                        const std::map<std::string, std::vector<std::string>>& hints) {
  using nlohmann::json;
  const auto& extra = results.at("extra_data");
  std::string md = fmt::format("# Feedback: {}\n\nScore: **{}/{}**", extra.value("submission", ""),
                               results.value("score", json(0)).dump(), results.value("max_score", json(0)).dump());
  if (extra.contains("late"))
    md += fmt::format(" (late by {} days: {}% off a score of {})", extra["late"].value("days", 0),
                      extra["late"].value("penalty_percent", json(0)).dump(), extra.value("raw_score", json(0)).dump());
  md += "\n";
  const auto chapters = extra.value("chapters", json::object());
  for (const auto& [folder, c] : chapters.items()) {
    md += fmt::format("\n## {}: {}/{}\n\n", folder, c.value("score", json(0)).dump(),
                      c.value("max_score", json(0)).dump());
    if (std::string problem = c.value("problem", ""); !problem.empty()) md += problem + "\n\n";
    std::string passed, failed;
    int unseen = 0;
    for (const auto& t : results.at("tests")) {
      std::string name = t.value("name", "");
      if (name.rfind(folder + ": ", 0) != 0) continue;
      if (t.value("visibility", "visible") != "visible") {
        ++unseen;
        continue;
      }
      name.erase(0, folder.size() + 2);
      if (t.value("status", "") == "passed") {
        passed += fmt::format("- {}\n", name);
        continue;
      }
      std::string out = t.value("output", "");
      if (out == c.value("problem", "")) out.clear();
      failed += fmt::format("- **{}** ({}/{})\n", name, t.value("score", json(0)).dump(),
                            t.value("max_score", json(0)).dump());
      if (out.empty()) continue;
      out = out.substr(0, 1500);
      for (std::size_t at = 0; (at = out.find('\n', at)) != std::string::npos; at += 3) out.replace(at, 1, "\n  ");
      failed += fmt::format("\n  ```\n  {}\n  ```\n\n", out);
    }
    if (!failed.empty()) {
      md += "Failed:\n\n" + failed + "\n";
      if (auto h = hints.find(folder); h != hints.end() && !h->second.empty() && c.value("attempted", true))
        md += fmt::format("Hint: {}\n\n", h->second.front());
    }
    if (!passed.empty()) md += "Passed:\n\n" + passed + "\n";
    if (unseen > 0) md += fmt::format("{} more test{} shown after the due date.\n", unseen, unseen == 1 ? "" : "s");
  }
  auto notes = extra.value("notes", json::array());
  if (!notes.empty()) {
    md += "\n## Left out of grading\n\n";
    for (const auto& n : notes) md += fmt::format("- {}\n", n.get<std::string>());
  }
  return md;
}

}  // namespace ipclab::cli
