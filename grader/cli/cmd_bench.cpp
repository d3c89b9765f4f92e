// `ipclab bench`: not in this version yet; says so plainly (exit 2).
#include <fmt/format.h>

#include "commands.hpp"

namespace ipclab::cli {

void add_bench(CLI::App& app, commands& cmds) {
  auto* sub = app.add_subcommand("bench", "measure what each IPC mechanism costs on this machine");
  sub->allow_extras();
  sub->callback([&cmds] {
    cmds.selected = [] {
      fmt::print(stderr, "ipclab bench: not available in this version of the kit yet.\n");
      return 2;
    };
  });
}

}  // namespace ipclab::cli
