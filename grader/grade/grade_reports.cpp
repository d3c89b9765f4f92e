// grades.csv, junit.xml and summary.txt from the submissions' results.
#include "grade_reports.hpp"

#include <algorithm>
#include <fstream>
#include <map>

#include <fmt/format.h>

#include "grade_exports.hpp"
#include "grade_policy.hpp"

namespace ipclab::cli {
namespace {

using nlohmann::json;

json chapter_of(const json& r, const std::string& folder) {
  return r.at("extra_data").at("chapters").value(folder, json{{"score", 0}, {"max_score", 0}});
}

std::string xml_text(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default:
        // XML 1.0 has no way to write other control characters.
        if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') out += '?';
        else out += static_cast<char>(c);
    }
  }
  return out;
}

}  // namespace

std::vector<json> load_results(const fs::path& out) {
  std::vector<fs::path> dirs;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(out, ec))
    if (e.is_directory() && e.path().filename().string()[0] != '.') dirs.push_back(e.path());
  std::sort(dirs.begin(), dirs.end());
  std::vector<json> results;
  for (const auto& d : dirs) {
    std::ifstream in(d / "results.json");
    if (!in) continue;
    try {
      json r = json::parse(in);
      if (r.contains("extra_data") && r["extra_data"].contains("submission")) results.push_back(std::move(r));
    } catch (const json::parse_error&) {
    }
  }
  return results;
}

std::string percent(const json& r) {
  double max = r.value("max_score", 0.0);
  return max > 0 ? fmt::format("{:.1f}", 100.0 * r.value("score", 0.0) / max) : "0.0";
}

std::string grades_csv(const std::vector<json>& results, const std::vector<std::string>& chapters) {
  std::string csv = "submission,file";
  for (const auto& c : chapters) csv += "," + c;
  csv += ",total,max_score,percent,raw_score,late_penalty_percent,status\n";
  for (const auto& r : results) {
    const auto& extra = r.at("extra_data");
    csv += csv_field(extra.at("submission").get<std::string>()) + "," +
           csv_field(extra.value("file", ""));
    for (const auto& c : chapters) csv += "," + score_number(chapter_of(r, c).value("score", 0.0)).dump();
    auto late = extra.value("late", json::object());
    csv += fmt::format(",{},{},{},{},{},{}\n", score_number(r.value("score", 0.0)).dump(),
                       score_number(r.value("max_score", 0.0)).dump(), percent(r),
                       extra.value("raw_score", r.value("score", json(0))).dump(),
                       late.value("penalty_percent", json(0)).dump(),
                       csv_field(extra.value("status", "graded")));
  }
  return csv;
}

std::string junit_xml(const std::vector<json>& results) {
  std::string suites;
  int all_tests = 0, all_failures = 0;
  for (const auto& r : results) {
    std::string name = r.at("extra_data").at("submission").get<std::string>();
    std::map<std::string, std::vector<const json*>> by_chapter;
    for (const auto& t : r.at("tests")) {
      std::string full = t.value("name", "");
      by_chapter[full.substr(0, full.find(':'))].push_back(&t);
    }
    for (const auto& [chapter, tests] : by_chapter) {
      std::string cases;
      int failures = 0;
      for (const json* t : tests) {
        std::string full = t->value("name", "");
        std::string test = full.substr(std::min(full.size(), chapter.size() + 2));
        cases += fmt::format("    <testcase classname=\"{}.{}\" name=\"{}\"", xml_text(name),
                             xml_text(chapter), xml_text(test));
        if (t->value("status", "") == "passed") {
          cases += "/>\n";
          continue;
        }
        ++failures;
        cases += fmt::format(">\n      <failure message=\"scored {} of {}\">{}</failure>\n    </testcase>\n",
                             t->value("score", 0), t->value("max_score", 0),
                             xml_text(t->value("output", "")));
      }
      all_tests += static_cast<int>(tests.size());
      all_failures += failures;
      suites += fmt::format("  <testsuite name=\"{}/{}\" tests=\"{}\" failures=\"{}\">\n{}  </testsuite>\n",
                            xml_text(name), xml_text(chapter), tests.size(), failures, cases);
    }
  }
  return fmt::format("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                     "<testsuites name=\"ipclab grade\" tests=\"{}\" failures=\"{}\">\n{}</testsuites>\n",
                     all_tests, all_failures, suites);
}

std::string class_summary(const std::vector<json>& results, const std::vector<std::string>& chapters) {
  std::string text = fmt::format("{} submission{} graded.\n\n", results.size(),
                                 results.size() == 1 ? "" : "s");
  std::string attention;
  for (const auto& r : results) {
    const auto& extra = r.at("extra_data");
    std::string status = extra.value("status", "graded");
    std::string who = fmt::format("{} ({})", extra.value("submission", ""), extra.value("file", ""));
    if (status != "graded") {
      std::string why;
      const auto per_chapter = extra.value("chapters", json::object());
      for (const auto& [_, c] : per_chapter.items())
        if (why.empty()) why = c.value("problem", "");
      if (why.rfind(status + ": ", 0) == 0) why.erase(0, status.size() + 2);
      attention += fmt::format("  {}: {}: {}\n", who, status, why.substr(0, why.find('\n')));
    }
    auto notes = extra.value("notes", json::array());
    if (!notes.empty())
      attention += fmt::format("  {}: {} file{} left out, e.g. {}\n", who, notes.size(),
                               notes.size() == 1 ? "" : "s", notes[0].get<std::string>());
  }
  if (!attention.empty()) text += "Needs attention:\n" + attention + "\n";
  text += fmt::format("{:<16} {:>6} {:>6} {:>6} {:>6} {:>6}   {}\n", "chapter", "max", "mean",
                      "median", "full", "zero", "scores: 0 | <25% | <50% | <75% | <100% | 100%");
  for (const auto& c : chapters) {
    std::vector<double> scores;
    double max = 0;
    for (const auto& r : results) {
      auto ch = chapter_of(r, c);
      scores.push_back(ch.value("score", 0.0));
      max = std::max(max, ch.value("max_score", 0.0));
    }
    std::sort(scores.begin(), scores.end());
    double mean = 0, median = 0;
    int bins[6] = {};
    for (double s : scores) {
      mean += s / static_cast<double>(scores.size());
      double f = max > 0 ? s / max : 0;
      bins[s <= 0 ? 0 : f >= 1 ? 5 : 1 + static_cast<int>(f * 4)]++;
    }
    if (!scores.empty())
      median = (scores[(scores.size() - 1) / 2] + scores[scores.size() / 2]) / 2;
    text += fmt::format("{:<16} {:>6} {:>6.1f} {:>6.1f} {:>6} {:>6}   {} | {} | {} | {} | {} | {}\n",
                        c, score_number(max).dump(), mean, median, bins[5], bins[0], bins[0], bins[1], bins[2], bins[3],
                        bins[4], bins[5]);
  }
  // Among the submissions that handed the chapter in: a chapter nobody
  // attempted says nothing about its tests.
  std::map<std::string, int> failed, attempted;
  for (const auto& r : results) {
    const auto per_chapter = r.at("extra_data").value("chapters", json::object());
    for (const auto& t : r.at("tests")) {
      std::string name = t.value("name", "");
      auto ch = per_chapter.value(name.substr(0, name.find(':')), json::object());
      if (!ch.value("attempted", true)) continue;
      attempted[name]++;
      if (t.value("status", "") != "passed") failed[name]++;
    }
  }
  std::vector<std::pair<std::string, int>> most(failed.begin(), failed.end());
  std::stable_sort(most.begin(), most.end(), [](auto& a, auto& b) { return a.second > b.second; });
  if (most.size() > 10) most.resize(10);
  text += "\nTests failed most often (among the submissions that attempted the chapter):\n";
  if (most.empty()) text += "  none: every test attempted passed.\n";
  for (const auto& [name, n] : most)
    text += fmt::format("  {:>4} of {}  {}\n", n, attempted[name], name);
  return text;
}

}  // namespace ipclab::cli
