// A chapter run's report from its parts: merged in the chapter's order, then concluded.
#include "ipclab/results.hpp"

#include <algorithm>
#include <set>
#include <string>

namespace ipclab::results {
namespace {

int number(const nlohmann::json& test) { return std::stoi(test.at("number").get<std::string>()); }

// The functions that failed with ENOSYS every time they were called: still the stub.
std::vector<std::string> not_written(const nlohmann::json& functions) {
  std::vector<std::string> out;
  for (const auto& [name, seen] : functions.items())
    if (seen.value("enosys", false) && !seen.value("other", false)) out.push_back(name);
  return out;
}

// A function still the stub fails every test that calls it the same way:
// say so once, and show those tests as not attempted (scored as failed).
void mark_not_attempted(nlohmann::json& report, const nlohmann::json& functions) {
  auto stubs = not_written(functions);
  if (stubs.empty()) return;
  std::string names;
  for (const auto& n : stubs) names += (names.empty() ? "" : ", ") + n;
  report["output"] = std::to_string(stubs.size()) + " of " + std::to_string(functions.size()) +
                     " functions are not written yet: " + names;
  report["unwritten"] = stubs;
  for (auto& test : report["tests"]) {
    std::string needs;
    for (const auto& n : test.value("enosys", std::vector<std::string>{}))
      if (std::find(stubs.begin(), stubs.end(), n) != stubs.end()) needs += (needs.empty() ? "" : ", ") + n;
    if (needs.empty()) continue;
    // Failures that do not come from the stub's ENOSYS stay in view.
    auto others = test.value("other_failures", std::string{});
    test["output"] = "not attempted: " + needs + " still fails with ENOSYS, as the stub does" +
                     (others.empty() ? "" : "\nIt also saw:\n" + others);
    test["not_attempted"] = true;
  }
}

}  // namespace

part merge(const std::vector<part>& parts) {
  part whole{{"score", 0}, {"max_score", 0}, {"execution_time", 0.0},
             {"tests", nlohmann::json::array()}, {"functions", nlohmann::json::object()}};
  for (const auto& p : parts) {
    whole["chapter"] = p.at("chapter");
    whole["tests_total"] = p.at("tests_total");
    whole["score"] = whole["score"].get<int>() + p.at("score").get<int>();
    whole["max_score"] = whole["max_score"].get<int>() + p.at("max_score").get<int>();
    whole["execution_time"] = std::max(whole["execution_time"].get<double>(), p.at("execution_time").get<double>());
    for (const auto& t : p.at("tests")) whole["tests"].push_back(t);
    for (const auto& [name, seen] : p.at("functions").items()) {
      auto f = whole["functions"].value(name, nlohmann::json::object());
      for (const char* how : {"enosys", "other"}) f[how] = f.value(how, false) || seen.value(how, false);
      whole["functions"][name] = f;
    }
  }
  auto& tests = whole["tests"];
  std::stable_sort(tests.begin(), tests.end(),
                   [](const nlohmann::json& a, const nlohmann::json& b) { return number(a) < number(b); });
  return whole;
}

nlohmann::json conclude(part whole) {
  auto functions = whole.value("functions", nlohmann::json::object());
  whole.erase("functions");
  mark_not_attempted(whole, functions);
  for (auto& test : whole["tests"]) {
    test.erase("enosys");
    test.erase("other_failures");
  }
  // A run of some tests only (--test, or --abort after a failure): say so.
  if (whole["tests"].size() < whole.value("tests_total", std::size_t{0})) whole["partial"] = true;
  else whole.erase("tests_total");
  return whole;
}

}  // namespace ipclab::results
