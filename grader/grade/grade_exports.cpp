// Gradebook CSVs (Canvas, Moodle) from the class's results and a roster.
#include "grade_exports.hpp"

#include <fmt/format.h>

#include "grade_policy.hpp"

namespace ipclab::cli {
namespace {

using nlohmann::json;

struct student_score {
  std::string id, name;
  json score;
};

/// The roster's students with their scores, or each submission as a student.
std::vector<student_score> scores(const std::vector<json>& results, const std::vector<roster_entry>& roster) {
  std::vector<student_score> out;
  if (roster.empty()) {
    for (const auto& r : results) {
      std::string id = r.at("extra_data").value("submission", "");
      out.push_back({id, id, r.value("score", json(0))});
    }
    return out;
  }
  for (const auto& s : roster) {
    json score = 0;
    for (const auto& r : results) {
      const auto& extra = r.at("extra_data");
      if (extra.value("submission", "") == s.submission || extra.value("file", "") == s.submission)
        score = r.value("score", json(0));
    }
    out.push_back({s.id, s.name, score});
  }
  return out;
}

json max_score(const std::vector<json>& results) {
  double max = 0;
  for (const auto& r : results) max = std::max(max, r.value("max_score", 0.0));
  return score_number(max);
}

}  // namespace

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

std::vector<roster_entry> load_roster(const fs::path& csv) {
  auto rows = read_csv(csv);
  if (rows.empty() || rows[0] != std::vector<std::string>{"id", "name", "submission"})
    throw usage_error(fmt::format("--roster {}: the first line must be 'id,name,submission'", csv.string()));
  std::vector<roster_entry> out;
  for (std::size_t i = 1; i < rows.size(); ++i)
    if (rows[i].size() == 3) out.push_back({rows[i][0], rows[i][1], rows[i][2]});
  return out;
}

std::string canvas_csv(const std::vector<json>& results, const std::vector<roster_entry>& roster,
                       const std::string& assignment) {
  std::string csv = fmt::format("Student,ID,SIS User ID,SIS Login ID,Section,{}\n", csv_field(assignment));
  csv += fmt::format("Points Possible,,,,,{}\n", max_score(results).dump());
  for (const auto& s : scores(results, roster))
    csv += fmt::format("{},{},,,,{}\n", csv_field(s.name), csv_field(s.id), s.score.dump());
  return csv;
}

std::string moodle_csv(const std::vector<json>& results, const std::vector<roster_entry>& roster,
                       const std::string& assignment) {
  std::string csv = fmt::format("ID number,Full name,{}\n", csv_field(assignment));
  for (const auto& s : scores(results, roster))
    csv += fmt::format("{},{},{}\n", csv_field(s.id), csv_field(s.name), s.score.dump());
  return csv;
}

}  // namespace ipclab::cli
