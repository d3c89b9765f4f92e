// `ipclab check CH|all [--exercises DIR] [--json] [--test PATTERN] [--fail-fast]`.
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "check.hpp"
#include "commands.hpp"
#include "progress.hpp"
#include "render.hpp"
#include "test_selection.hpp"

namespace ipclab::cli {
namespace {

struct check_options {
  std::string chapter;
  std::string exercises;
  bool json = false;
  test_selection only;
};

int run_check(const check_options& o) {
  kit k = kit::load();
  auto chosen = k.select(o.chapter);
  fs::path tree = o.exercises.empty() ? k.exercises_dir() : fs::path(o.exercises);
  if (!fs::is_directory(tree)) throw usage_error(fmt::format("no folder {}", tree.string()));
  std::vector<chapter_report> reports;
  for (const auto* c : chosen) {
    std::vector<std::string> args;
    try {
      args = test_args(c->test_binary, o.only);
    } catch (const usage_error&) {
      if (chosen.size() == 1) throw;
      continue;  // `all --test X`: the chapters that have such a test
    }
    if (!o.json && chosen.size() > 1) fmt::print(stderr, "checking {}...\n", c->folder);
    reports.push_back(check_chapter(k, *c, tree, nullptr, args));
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
  sub->callback([&cmds, o] { cmds.selected = [o] { return run_check(*o); }; });
}

}  // namespace ipclab::cli
