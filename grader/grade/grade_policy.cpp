// Points, visibility and late penalties applied to graded reports.
#include "grade_policy.hpp"

#include <cmath>
#include <fstream>

#include <fmt/format.h>

#include "files.hpp"

namespace ipclab::cli {

nlohmann::json score_number(double x) {
  double r = std::round(x * 100) / 100;
  if (r == std::floor(r) && std::abs(r) < 1e15) return static_cast<long long>(r);
  return r;
}

void apply_chapter_policy(nlohmann::json& report, const std::string& folder, const grading_config& config) {
  if (auto v = config.visibility.find(folder); v != config.visibility.end())
    for (auto& t : report["tests"])
      if (t.value("visibility", "visible") == "visible" || v->second == "hidden") t["visibility"] = v->second;
  if (auto per_test = config.tests.find(folder); per_test != config.tests.end()) {
    double score = 0, max = 0;
    for (auto& t : report["tests"]) {
      if (auto p = per_test->second.find(t.value("name", "")); p != per_test->second.end()) {
        if (!p->second.visibility.empty()) t["visibility"] = p->second.visibility;
        if (p->second.points) {
          double of = t.value("max_score", 0.0);
          t["score"] = score_number(of > 0 ? t.value("score", 0.0) / of * *p->second.points : 0);
          t["max_score"] = score_number(*p->second.points);
        }
      }
      score += t.value("score", 0.0);
      max += t.value("max_score", 0.0);
    }
    report["score"] = score_number(score);
    report["max_score"] = score_number(max);
  }
  auto p = config.points.find(folder);
  if (p == config.points.end()) return;
  double max = report.value("max_score", 0.0);
  double factor = max > 0 ? p->second / max : 0;
  for (auto& t : report["tests"]) {
    t["score"] = score_number(t.value("score", 0.0) * factor);
    t["max_score"] = score_number(t.value("max_score", 0.0) * factor);
  }
  report["score"] = score_number(report.value("score", 0.0) * factor);
  report["max_score"] = score_number(p->second);
}

std::vector<std::string> time_scale_args(const grading_config& config, const std::string& folder,
                                         bool hidden) {
  static const std::string kHidden = "[hidden] ";
  std::vector<std::string> args;
  if (auto per_test = config.tests.find(folder); per_test != config.tests.end())
    for (const auto& [name, p] : per_test->second) {
      bool of_hidden = name.rfind(kHidden, 0) == 0;
      if (p.time_scale && of_hidden == hidden)
        args.insert(args.end(), {"--time-scale", fmt::format("{}={}", name.substr(of_hidden ? kHidden.size() : 0),
                                                             *p.time_scale)});
    }
  return args;
}

void apply_late_policy(nlohmann::json& results, const late_policy& late, const submission_time& when) {
  auto due = when.due ? when.due : late.due;
  if (!due || when.submitted <= *due) return;
  int days = static_cast<int>(std::ceil(static_cast<double>(when.submitted - *due) / 86400.0));
  double penalty = std::min(100.0, days * late.percent_per_day);
  if (late.max_days > 0 && days > late.max_days) penalty = 100;
  double raw = results.value("score", 0.0);
  results["score"] = score_number(raw * (1 - penalty / 100));
  results["extra_data"]["raw_score"] = score_number(raw);
  results["extra_data"]["late"] = {{"days", days}, {"penalty_percent", score_number(penalty)}};
  results["output"] = results.value("output", "") +
                      fmt::format("\nLate by {} day{}: {}% off (score before the penalty: {}/{}).\n", days,
                                  days == 1 ? "" : "s", score_number(penalty).dump(),
                                  score_number(raw).dump(), results.value("max_score", 0.0));
}

std::optional<submission_time> time_from_metadata(const fs::path& file) {
  try {
    auto m = nlohmann::json::parse(slurp(file));
    auto created = parse_time(m.value("created_at", ""));
    if (!created) return std::nullopt;
    submission_time t{*created, {}};
    if (m.contains("assignment") && m["assignment"].is_object())
      if (auto due = m["assignment"].value("due_date", nlohmann::json()); due.is_string())
        t.due = parse_time(due.get<std::string>());
    return t;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

std::vector<std::vector<std::string>> read_csv(const fs::path& file) {
  std::string text = slurp(file);
  std::vector<std::vector<std::string>> rows(1);
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') field += text[++i];
      else if (c == '"') quoted = false;
      else field += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().push_back(std::move(field));
      field.clear();
    } else if (c == '\n') {
      rows.back().push_back(std::move(field));
      field.clear();
      rows.emplace_back();
    } else if (c != '\r') {
      field += c;
    }
  }
  if (!field.empty() || !rows.back().empty()) rows.back().push_back(std::move(field));
  if (rows.back().empty()) rows.pop_back();
  return rows;
}

std::map<std::string, std::time_t> load_submission_times(const fs::path& csv) {
  auto rows = read_csv(csv);
  std::map<std::string, std::time_t> out;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    if (rows[i].size() < 2) continue;
    auto t = parse_time(rows[i][1]);
    if (!t)
      throw usage_error(fmt::format("{} line {}: '{}' is not a time like 2026-12-01T23:59:00Z",
                                    csv.string(), i + 1, rows[i][1]));
    out[rows[i][0]] = *t;
  }
  return out;
}

}  // namespace ipclab::cli
