// Running one chapter's graded tests against one fill-in, behind the fence.
#include "check.hpp"


#include <fmt/format.h>

#include <unistd.h>

#include "fence/signal_scope.hpp"
#include "module_build.hpp"
#include "process.hpp"

namespace ipclab::cli {
namespace {

// What else a weaker fence lacks for an ordinary user: without a PID
// namespace only Landlock's signal scope keeps a run's signals among its
// own processes (policy.hpp, invariant 10). Root's runs use uids of their own.
std::string signal_gap() {
  if (geteuid() == 0 || fence::kernel_scopes_signals()) return "";
  return "; and this kernel cannot keep a run's signals among its own processes (Landlock's "
         "signal scope needs Linux 6.12), so the code checked could signal any process of "
         "this user";
}

}  // namespace

fence_mode parse_fence_mode(const std::string& text) {
  if (text == "strict") return fence_mode::strict;
  if (text == "best") return fence_mode::best;
  if (text == "weaker") return fence_mode::weaker;
  throw usage_error(fmt::format("--fence: '{}' is not one of strict, best, weaker", text));
}

fence_choice choose_fence(fence_mode mode) {
  if (mode == fence_mode::weaker)
    return {false, "asked for (--fence=weaker): no namespaces, so a run's processes and IPC "
                   "objects are removed one by one and it sees the whole file system" +
                       signal_gap()};
  fence::policy probe;
  probe.namespaces = fence::mount_ns | fence::ipc_ns | fence::pid_ns;
  probe.view.scratch = {"/tmp", "/dev/shm"};
  try {
    run_program({"true"}, std::chrono::seconds(30), true, &probe);
    return {true, ""};
  } catch (const fence_refused& e) {
    if (mode == fence_mode::strict)
      throw fence_refused(fmt::format(
          "{}\nthe strict fence needs namespaces; run with --fence=weaker to grade without them "
          "(every report will say so)", e.what()));
    return {false, fmt::format("no namespaces here ({}), so a run's processes and IPC objects "
                               "are removed one by one and it sees the whole file system{}",
                               e.what(), signal_gap())};
  }
}

fence::policy test_run_policy(const fencing& f, const fs::path& binary, const std::string& module) {
  fence::policy p;
  p.weaker = f.choice.weaker;
  if (!f.choice.namespaces) return p;
  p.namespaces = fence::mount_ns | fence::ipc_ns | fence::pid_ns;
  p.view.hidden = f.hidden;
  p.view.scratch = {"/tmp", "/dev/shm"};
  p.view.kept = {fs::canonical(binary).string()};
  if (module != "none") p.view.kept.push_back(fs::canonical(module).string());
  return p;
}

nlohmann::json run_tests(const fs::path& binary, const std::string& module,
                         const std::string& folder, const fencing& f,
                         const std::vector<std::string>& only) {
  auto policy = test_run_policy(f, binary, module);
  std::vector<std::string> argv{binary.string(), "--module", module, "--reporter", "ipclab"};
  argv.insert(argv.end(), only.begin(), only.end());
  auto run = run_program(argv, std::chrono::seconds(900), false, &policy);
  try {
    return nlohmann::json::parse(run.out);
  } catch (const nlohmann::json::parse_error&) {
    throw std::runtime_error(fmt::format(
        "the tests of {} ended without a report (exit {}{}).\n{}", folder, run.exit_code,
        run.timed_out ? ", timed out" : "", run.err.empty() ? run.out : run.err));
  }
}

chapter_report check_chapter(const kit& k, const chapter& c, const fs::path& exercises,
                             const fencing& f, const std::vector<std::string>& only) {
  chapter_report rep;
  auto built = build_module(k, c, exercises, f);
  rep.compiled = built.ok;
  rep.compiler_output = built.diagnostics;
  rep.module = built.ok ? built.module.string() : "none";
  rep.results = run_tests(c.test_binary, rep.module, c.folder, f, only);
  if (!f.choice.weaker.empty()) rep.results["fence"] = "weaker: " + f.choice.weaker;
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
