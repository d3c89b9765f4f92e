// Running one chapter's graded tests against one fill-in.
#include "check.hpp"

#include <fmt/format.h>

#include "module_build.hpp"
#include "process.hpp"

namespace ipclab::cli {

nlohmann::json run_tests(const fs::path& binary, const std::string& module,
                         const std::string& folder, const std::vector<std::string>& only) {
  std::vector<std::string> argv{binary.string(), "--module", module, "--reporter", "ipclab"};
  argv.insert(argv.end(), only.begin(), only.end());
  auto run = run_program(argv, std::chrono::seconds(900));
  try {
    return nlohmann::json::parse(run.out);
  } catch (const nlohmann::json::parse_error&) {
    throw std::runtime_error(fmt::format(
        "the tests of {} ended without a report (exit {}{}).\n{}", folder, run.exit_code,
        run.timed_out ? ", timed out" : "", run.err.empty() ? run.out : run.err));
  }
}

chapter_report check_chapter(const kit& k, const chapter& c, const fs::path& exercises,
                             const path_view* jail, const std::vector<std::string>& only) {
  chapter_report rep;
  auto built = build_module(k, c, exercises, jail);
  rep.compiled = built.ok;
  rep.compiler_output = built.diagnostics;
  rep.module = built.ok ? built.module.string() : "none";
  rep.results = run_tests(c.test_binary, rep.module, c.folder, only);
  if (!built.ok) {
    rep.results["output"] = "the code did not compile:\n" + built.diagnostics;
    rep.code = did_not_compile;
  } else {
    rep.code = rep.results.value("score", 0) == rep.results.value("max_score", -1) ? all_passed
                                                                                 : some_failed;
  }
  return rep;
}

exit_code combined(const std::vector<chapter_report>& reports) {
  exit_code worst = all_passed;
  for (const auto& r : reports) worst = std::max(worst, r.code);
  return worst;
}

}  // namespace ipclab::cli
