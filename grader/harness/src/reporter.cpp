// The `ipclab` Catch2 reporter: one Gradescope-shaped JSON object per run;
// `ipclab-part`: the part of a run in shards (ipclab/results.hpp).
//
// Points come from a tag `[pts=N]` on each TEST_CASE (1 when absent). A test
// earns its points when it made at least one assertion and none failed; a
// test that asserted nothing earns none, so an empty test cannot pass.
#define CATCH_CONFIG_EXTERNAL_INTERFACES
#include <chrono>
#include <cmath>
#include <set>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "ipclab/results.hpp"
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

// Writes the run's part, concluded into the report unless it is a part.
template <bool concluded>
class ipclab_reporter : public Catch::StreamingReporterBase<ipclab_reporter<concluded>> {
  using base = Catch::StreamingReporterBase<ipclab_reporter<concluded>>;
  using base::m_config;
  using base::stream;

public:
  using base::base;

  static std::string getDescription() {
    return concluded ? "ipclab's grading report: one JSON object shaped like Gradescope's results.json"
                     : "one part of ipclab's grading report, for a run in shards";
  }

  void assertionStarting(const Catch::AssertionInfo&) override {}

  bool assertionEnded(const Catch::AssertionStats& stats) override {
    const auto& a = stats.assertionResult;
    // A WARN() says a check could not be made here: it shows even when the test passes.
    if (a.getResultType() == Catch::ResultWas::Warning)
      failures_ += (failures_.empty() ? "" : "\n") + ("note: " + a.getMessage() + "\n");
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
    base::testCaseStarting(info);
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
    if (!passed) {
      auto met = unwritten::take_test();
      tests_.back()["enosys"] = std::vector<std::string>(met.begin(), met.end());
      tests_.back()["other_failures"] = other_failures_.substr(0, kOutputCap);
    }
    score_ += passed ? max : 0;
    max_score_ += max;
    base::testCaseEnded(stats);
  }

  void testRunEnded(const Catch::TestRunStats& stats) override {
    auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - run_started_);
    nlohmann::json functions = nlohmann::json::object();
    for (const auto& [name, seen] : unwritten::functions())
      functions[name] = {{"enosys", seen.enosys}, {"other", seen.other}};
    ipclab::results::part report{{"chapter", ipclab::sandbox::chapter_name},
                                 {"score", score_},
                                 {"max_score", max_score_},
                                 {"execution_time", std::round(seconds.count() * 1000) / 1000},
                                 {"tests", tests_},
                                 {"tests_total", Catch::getAllTestCasesSorted(*m_config).size()},
                                 {"functions", functions}};
    if (concluded) report = ipclab::results::conclude(report);
    // Student output may hold any bytes: invalid UTF-8 becomes U+FFFD.
    stream << report.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    base::testRunEnded(stats);
  }

private:
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
  nlohmann::json tests_ = nlohmann::json::array();
  int score_ = 0;
  int max_score_ = 0;
};

using report_reporter = ipclab_reporter<true>;
using part_reporter = ipclab_reporter<false>;

}  // namespace

CATCH_REGISTER_REPORTER("ipclab", report_reporter)
CATCH_REGISTER_REPORTER("ipclab-part", part_reporter)
