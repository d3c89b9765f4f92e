// `ipclab docs`: not in this version yet; says so plainly (exit 2).
#include <fmt/format.h>

#include "commands.hpp"

namespace ipclab::cli {

void add_docs(CLI::App& app, commands& cmds) {
  auto* sub = app.add_subcommand("docs", "build the documentation site and print where it is");
  sub->allow_extras();
  sub->callback([&cmds] {
    cmds.selected = [] {
      fmt::print(stderr, "ipclab docs: not available in this version of the kit yet.\n");
      return 2;
    };
  });
}

}  // namespace ipclab::cli
