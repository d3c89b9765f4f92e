// `ipclab check CH|all [--exercises DIR] [--json]`.
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "check.hpp"
#include "commands.hpp"
#include "progress.hpp"
#include "render.hpp"

namespace ipclab::cli {
namespace {

struct check_options {
  std::string chapter;
  std::string exercises;
  bool json = false;
};

int run_check(const check_options& o) {
  kit k = kit::load();
  auto chosen = k.select(o.chapter);
  fs::path tree = o.exercises.empty() ? k.exercises_dir() : fs::path(o.exercises);
  if (!fs::is_directory(tree)) throw usage_error(fmt::format("no folder {}", tree.string()));
  std::vector<chapter_report> reports;
  for (const auto* c : chosen) {
    if (!o.json && chosen.size() > 1) fmt::print(stderr, "checking {}...\n", c->folder);
    reports.push_back(check_chapter(k, *c, tree));
    if (o.exercises.empty()) record_check(k, *c, reports.back());
    if (o.json) std::cout << reports.back().results.dump() << std::endl;
    else print_report(*c, reports.back());
  }
  return combined(reports);
}

}  // namespace

void add_check(CLI::App& app, commands& cmds) {
  auto o = std::make_shared<check_options>();
  auto* sub = app.add_subcommand("check", "compile your fill-in and run the chapter's graded tests");
  sub->add_option("chapter", o->chapter, "a chapter (slug, number or folder), or 'all'")->required();
  sub->add_option("--exercises", o->exercises, "the folder holding NN-slug/ fill-ins (default: exercises/)");
  sub->add_flag("--json", o->json, "print one Gradescope-shaped JSON object per chapter");
  sub->callback([&cmds, o] { cmds.selected = [o] { return run_check(*o); }; });
}

}  // namespace ipclab::cli
