// The `ipclab` Catch2 reporter: one Gradescope-shaped JSON object per run.
//
// Points come from a tag `[pts=N]` on each TEST_CASE (1 when absent). A test
// earns its points when it made at least one assertion and none failed; a
// test that asserted nothing earns none, so an empty test cannot pass.
#define CATCH_CONFIG_EXTERNAL_INTERFACES
#include <chrono>
#include <cmath>
#include <algorithm>
#include <set>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "unwritten.hpp"

namespace ipclab::sandbox {
extern const char* const chapter_name;  // generated per test binary by CMake
}

namespace {

namespace unwritten = ipclab::sandbox::unwritten;

constexpr std::size_t kOutputCap = 4000;  // per test: a report stays readable

int points_of(const std::vector<std::string>& tags) {
  for (const auto& t : tags)
    if (t.rfind("pts=", 0) == 0) return std::stoi(t.substr(4));
  return 1;
}

class ipclab_reporter : public Catch::StreamingReporterBase<ipclab_reporter> {
public:
  using StreamingReporterBase::StreamingReporterBase;

  static std::string getDescription() {
    return "ipclab's grading report: one JSON object shaped like Gradescope's results.json";
  }

  void assertionStarting(const Catch::AssertionInfo&) override {}

  bool assertionEnded(const Catch::AssertionStats& stats) override {
    const auto& a = stats.assertionResult;
    if (a.isOk()) return true;
    std::string text;
    for (const auto& info : stats.infoMessages)
      if (info.message != a.getMessage()) text += info.message + "\n";
    if (a.hasExpression() && a.getResultType() != Catch::ResultWas::ExplicitFailure)
      text += "check failed: " + a.getExpressionInMacro() + "\n  with: " +
              a.getExpandedExpression() + "\n";
    if (a.hasMessage()) text += a.getMessage() + "\n";
    failures_ += (failures_.empty() ? "" : "\n") + text;
    if (text.find("ENOSYS") == std::string::npos) other_failures_ += (other_failures_.empty() ? "" : "\n") + text;
    return true;
  }

  void testCaseStarting(const Catch::TestCaseInfo& info) override {
    StreamingReporterBase::testCaseStarting(info);
    failures_.clear();
    other_failures_.clear();
    unwritten::take_test();
    case_started_ = std::chrono::steady_clock::now();
  }

  void testCaseEnded(const Catch::TestCaseStats& stats) override {
    const auto& info = stats.testInfo;
    int max = points_of(info.tags);
    bool asserted = stats.totals.assertions.total() > 0;
    bool passed = asserted && stats.totals.assertions.failed == 0;
    if (!asserted) failures_ = "this test made no assertion, so it cannot pass";
    if (failures_.size() > kOutputCap) failures_ = failures_.substr(0, kOutputCap) + "\n[... cut]";
    nlohmann::json tags = nlohmann::json::array();
    for (const auto& t : info.tags)
      if (t.rfind("pts=", 0) != 0) tags.push_back(t);
    tests_.push_back({{"name", info.name},
                      {"number", std::to_string(number_of(info))},
                      {"status", passed ? "passed" : "failed"},
                      {"score", passed ? max : 0},
                      {"max_score", max},
                      {"output", failures_},
                      {"tags", tags}});
    // A drawing comes in a fenced block: Gradescope keeps it when told the output is Markdown.
    if (failures_.find("```") != std::string::npos) tests_.back()["output_format"] = "md";
    called_enosys_.push_back(passed ? std::set<std::string>{} : unwritten::take_test());
    other_failures_of_.push_back(other_failures_.substr(0, kOutputCap));
    score_ += passed ? max : 0;
    max_score_ += max;
    StreamingReporterBase::testCaseEnded(stats);
  }

  void testRunEnded(const Catch::TestRunStats& stats) override {
    auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - run_started_);
    nlohmann::json report{{"chapter", ipclab::sandbox::chapter_name},
                          {"score", score_},
                          {"max_score", max_score_},
                          {"execution_time", std::round(seconds.count() * 1000) / 1000},
                          {"tests", tests_}};
    mark_not_attempted(report);
    // A run of some tests only (--test, or --abort after a failure): say so.
    auto all = Catch::getAllTestCasesSorted(*m_config).size();
    if (tests_.size() < all) {
      report["partial"] = true;
      report["tests_total"] = all;
    }
    // Student output may hold any bytes: invalid UTF-8 becomes U+FFFD.
    stream << report.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    StreamingReporterBase::testRunEnded(stats);
  }

private:
  // A function still the stub fails every test that calls it the same way:
  // say so once, and show those tests as not attempted (scored as failed).
  void mark_not_attempted(nlohmann::json& report) {
    auto stubs = unwritten::not_written();
    if (stubs.empty()) return;
    std::string names;
    for (const auto& n : stubs) names += (names.empty() ? "" : ", ") + n;
    report["output"] = std::to_string(stubs.size()) + " of " + std::to_string(unwritten::called().size()) +
                       " functions are not written yet: " + names;
    report["unwritten"] = stubs;
    for (std::size_t i = 0; i < tests_.size(); ++i) {
      std::string needs;
      for (const auto& n : called_enosys_[i])
        if (std::find(stubs.begin(), stubs.end(), n) != stubs.end()) needs += (needs.empty() ? "" : ", ") + n;
      if (needs.empty()) continue;
      // Failures that do not come from the stub's ENOSYS stay in view.
      const auto& others = other_failures_of_[i];
      tests_[i]["output"] = "not attempted: " + needs + " still fails with ENOSYS, as the stub does" +
                            (others.empty() ? "" : "\nIt also saw:\n" + others);
      tests_[i]["not_attempted"] = true;
    }
    report["tests"] = tests_;
  }

  // A test's number is its place among all of the chapter's tests, run or not.
  std::size_t number_of(const Catch::TestCaseInfo& info) const {
    const auto& all = Catch::getAllTestCasesSorted(*m_config);
    for (std::size_t i = 0; i < all.size(); ++i)
      if (all[i].name == info.name) return i + 1;
    return tests_.size() + 1;
  }

  std::chrono::steady_clock::time_point run_started_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point case_started_;
  std::string failures_;
  std::string other_failures_;  // the failures whose message does not mention ENOSYS
  std::vector<std::set<std::string>> called_enosys_;  // per test run, the stubs it met
  std::vector<std::string> other_failures_of_;        // per test run
  nlohmann::json tests_ = nlohmann::json::array();
  int score_ = 0;
  int max_score_ = 0;
};

}  // namespace

CATCH_REGISTER_REPORTER("ipclab", ipclab_reporter)
