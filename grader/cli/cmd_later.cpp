// Commands whose issue has not landed yet say so plainly (exit 2).
#include <fmt/format.h>

#include "commands.hpp"
#include "kit.hpp"

namespace ipclab::cli {
namespace {

void add_pending(CLI::App& app, commands& cmds, const char* name, const char* what) {
  auto* sub = app.add_subcommand(name, what);
  sub->allow_extras();
  sub->callback([&cmds, name] {
    cmds.selected = [name] {
      fmt::print(stderr, "ipclab {}: not available in this version of the kit yet.\n", name);
      return 2;
    };
  });
}

}  // namespace

void add_grade(CLI::App& app, commands& cmds) {
  add_pending(app, cmds, "grade", "grade many submissions into CSV, Gradescope JSON and JUnit");
}
void add_bench(CLI::App& app, commands& cmds) {
  add_pending(app, cmds, "bench", "measure what each IPC mechanism costs on this machine");
}
void add_docs(CLI::App& app, commands& cmds) {
  add_pending(app, cmds, "docs", "build the documentation site and print where it is");
}

}  // namespace ipclab::cli
