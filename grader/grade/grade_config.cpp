// Reading a course's grading policy from TOML.
#include "grade_config.hpp"

#include <cstdio>
#include <set>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "files.hpp"

namespace ipclab::cli {

std::optional<std::time_t> parse_time(const std::string& iso) {
  std::tm tm{};
  int consumed = 0;
  if (std::sscanf(iso.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &consumed) != 6)
    return std::nullopt;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  std::string rest = iso.substr(static_cast<std::size_t>(consumed));
  if (!rest.empty() && rest[0] == '.') {
    std::size_t digits = rest.find_first_not_of("0123456789", 1);
    rest.erase(0, digits == std::string::npos ? rest.size() : digits);
  }
  long offset = 0;
  if (rest == "Z") {
    offset = 0;
  } else {
    int hours = 0, minutes = 0;
    if (rest.size() != 6 || (rest[0] != '+' && rest[0] != '-') ||
        std::sscanf(rest.c_str() + 1, "%2d:%2d", &hours, &minutes) != 2)
      return std::nullopt;
    offset = (rest[0] == '-' ? -1 : 1) * (hours * 3600L + minutes * 60L);
  }
  return ::timegm(&tm) - offset;
}

grading_config load_config(const fs::path& file) {
  grading_config c;
  c.text = slurp(file);
  toml::table t;
  try {
    t = toml::parse(c.text, file.string());
  } catch (const toml::parse_error& e) {
    throw usage_error(fmt::format("--config {}: {}", file.string(), e.description()));
  }
  auto bad = [&](const std::string& what) {
    return usage_error(fmt::format("--config {}: {}", file.string(), what));
  };
  static const std::set<std::string> kKeys{"chapters", "hidden", "points", "visibility", "late", "tests"};
  for (const auto& [key, _] : t)
    if (!kKeys.count(std::string(key.str()))) throw bad(fmt::format("unknown key '{}'", key.str()));
  if (auto* list = t["chapters"].as_array())
    for (const auto& v : *list) c.chapters.push_back(v.value_or(std::string()));
  if (auto h = t["hidden"].value<std::string>()) c.hidden = file.parent_path() / *h;
  if (auto* points = t["points"].as_table())
    for (const auto& [ch, v] : *points) {
      auto n = v.value<double>();
      if (!n || *n < 0) throw bad(fmt::format("points.{} must be a number of points", ch.str()));
      c.points[std::string(ch.str())] = *n;
    }
  static const std::set<std::string> kVisibility{"hidden", "after_due_date", "after_published", "visible"};
  auto visibility = [&](const toml::node& v, const std::string& key) {
    std::string s = v.value_or(std::string());
    if (!kVisibility.count(s))
      throw bad(fmt::format("{} is '{}': hidden, after_due_date, after_published or visible", key, s));
    return s;
  };
  if (auto* vis = t["visibility"].as_table())
    for (const auto& [ch, v] : *vis)
      c.visibility[std::string(ch.str())] = visibility(v, fmt::format("visibility.{}", ch.str()));
  if (auto* tests = t["tests"].as_table())
    for (const auto& [ch, per_test] : *tests) {
      if (!per_test.is_table()) throw bad(fmt::format("tests.{} must be a table of tests", ch.str()));
      for (const auto& [name, policy] : *per_test.as_table()) {
        std::string key = fmt::format("tests.{}.\"{}\"", ch.str(), name.str());
        if (!policy.is_table()) throw bad(key + " must be a table (points, visibility, time_scale)");
        test_policy p;
        const auto& table = *policy.as_table();
        p.points = table["points"].value<double>();
        if (table.contains("points") && (!p.points || *p.points < 0)) throw bad(key + ".points must be a number");
        if (const auto* v = table.get("visibility")) p.visibility = visibility(*v, key + ".visibility");
        if (table.contains("time_scale")) {
          p.time_scale = table["time_scale"].value<double>();
          if (!p.time_scale || *p.time_scale < kMinTimeScale || *p.time_scale > kMaxTimeScale)
            throw bad(fmt::format("{}.time_scale must be a number from {} to {} (the factor of its calls' "
                                  "time limits)", key, kMinTimeScale, kMaxTimeScale));
        }
        for (const auto& [k, _] : table)
          if (k.str() != "points" && k.str() != "visibility" && k.str() != "time_scale")
            throw bad(fmt::format("{}: unknown key '{}' (points, visibility, time_scale)", key, k.str()));
        c.tests[std::string(ch.str())][std::string(name.str())] = p;
      }
    }
  if (auto* late = t["late"].as_table()) {
    late_policy p;
    if (auto due = (*late)["due"].value<std::string>()) {
      p.due = parse_time(*due);
      if (!p.due) throw bad(fmt::format("late.due '{}' is not a date like 2026-12-01T23:59:00Z", *due));
    }
    p.percent_per_day = (*late)["percent_per_day"].value_or(0.0);
    p.max_days = (*late)["max_days"].value_or(0);
    c.late = p;
  }
  return c;
}

}  // namespace ipclab::cli
