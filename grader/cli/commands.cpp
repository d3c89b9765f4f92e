// Wiring the subcommands into the CLI11 application.
#include "commands.hpp"

namespace ipclab::cli {

int commands::run(CLI::App&) { return selected ? selected() : 0; }

void register_commands(CLI::App& app, commands& cmds) {
  add_home(cmds);
  add_list(app, cmds);
  add_read(app, cmds);
  add_demo(app, cmds);
  add_check(app, cmds);
  add_hint(app, cmds);
  add_watch(app, cmds);
  add_reset(app, cmds);
  add_grade(app, cmds);
  add_bench(app, cmds);
  add_docs(app, cmds);
}

}  // namespace ipclab::cli
