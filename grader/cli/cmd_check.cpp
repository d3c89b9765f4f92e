// `ipclab check CH|all [--exercises DIR] [--json] [--test PATTERN] [--fail-fast] [--jobs N] [--fence MODE]`.
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "check.hpp"
#include "commands.hpp"
#include "progress.hpp"
#include "render.hpp"
#include "shards.hpp"
#include "test_selection.hpp"

namespace ipclab::cli {
namespace {

struct check_options {
  std::string chapter;
  std::string exercises;
  bool json = false;
  test_selection only;
  std::string fence = "best";
  unsigned jobs = 0;  // 0: default_jobs()
};

// The fence of this check, said once when it is weaker than namespaces.
// IPCLAB_ISOLATION=off asks for the weaker fence (the kit's own tests of it).
fencing check_fencing(const check_options& o) {
  const char* isolation = std::getenv("IPCLAB_ISOLATION");
  bool off = isolation != nullptr && std::strcmp(isolation, "off") == 0;
  fencing f;
  f.choice = choose_fence(off ? fence_mode::weaker : parse_fence_mode(o.fence));
  f.colour = !o.json && ::isatty(STDOUT_FILENO) != 0;
  if (!f.choice.weaker.empty()) fmt::print(stderr, "ipclab check: note: a weaker fence: {}\n", f.choice.weaker);
  return f;
}

int run_check(const check_options& o) {
  kit k = kit::load();
  auto chosen = k.select(o.chapter);
  fs::path tree = o.exercises.empty() ? k.exercises_dir() : fs::path(o.exercises);
  if (!fs::is_directory(tree)) throw usage_error(fmt::format("no folder {}", tree.string()));
  fencing f = check_fencing(o);
  // Runs side by side each need a fence of their own: namespaces.
  unsigned jobs = !f.choice.namespaces ? 1 : o.jobs == 0 ? default_jobs() : o.jobs;
  std::vector<chapter_report> reports;
  for (const auto* c : chosen) {
    std::vector<std::vector<std::string>> args;
    try {
      args = shard_args(c->test_binary, o.only, jobs);
    } catch (const usage_error&) {
      if (chosen.size() == 1) throw;
      continue;  // `all --test X`: the chapters that have such a test
    }
    if (!o.json && chosen.size() > 1) fmt::print(stderr, "checking {}...\n", c->folder);
    reports.push_back(check_chapter(k, *c, tree, f, args));
    // A partial run says nothing of the chapter's progress.
    if (o.exercises.empty() && !o.only.partial()) record_check(k, *c, reports.back());
    if (o.json) std::cout << reports.back().results.dump() << std::endl;
    else print_report(*c, reports.back());
    if (o.only.fail_fast && reports.back().code != all_passed) break;
  }
  if (reports.empty())
    throw usage_error(fmt::format("no test of any chapter matches '{}'", o.only.pattern));
  return combined(reports);
}

}  // namespace

void add_check(CLI::App& app, commands& cmds) {
  auto o = std::make_shared<check_options>();
  auto* sub = app.add_subcommand("check", "compile your fill-in and run the chapter's graded tests");
  sub->add_option("chapter", o->chapter, "a chapter (slug, number or folder), or 'all'")->required();
  sub->add_option("--exercises", o->exercises, "the folder holding NN-slug/ fill-ins (default: exercises/)");
  sub->add_flag("--json", o->json, "print one Gradescope-shaped JSON object per chapter");
  add_test_selection(*sub, o->only);
  sub->add_option("--jobs,-j", o->jobs,
                  "run a chapter's tests in N test runs at once (1: one after another; 0, the "
                  "default: one per CPU, at most 4); with namespaces only");
  sub->add_option("--fence", o->fence,
                  "best (default): namespaces where the kernel allows them, else a weaker fence, "
                  "said once; strict: namespaces or refuse; weaker: never namespaces");
  sub->callback([&cmds, o] { cmds.selected = [o] { return run_check(*o); }; });
}

}  // namespace ipclab::cli
