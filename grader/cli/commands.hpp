// The subcommands of `ipclab`: each file cmd_<name>.cpp adds one.
#pragma once

#include <functional>

#include <CLI/CLI.hpp>

namespace ipclab::cli {

/// The command chosen on the command line, run after parsing succeeded.
struct commands {
  std::function<int()> selected;
  /// Runs the selected command, or the home screen when there is none.
  int run(CLI::App& app);
};

void add_home(commands& cmds);
void add_list(CLI::App& app, commands& cmds);
void add_read(CLI::App& app, commands& cmds);
void add_demo(CLI::App& app, commands& cmds);
void add_check(CLI::App& app, commands& cmds);
void add_hint(CLI::App& app, commands& cmds);
void add_watch(CLI::App& app, commands& cmds);
void add_reset(CLI::App& app, commands& cmds);
void add_grade(CLI::App& app, commands& cmds);
void add_bench(CLI::App& app, commands& cmds);
void add_docs(CLI::App& app, commands& cmds);

/// Adds every subcommand, in the order `ipclab --help` lists them.
void register_commands(CLI::App& app, commands& cmds);

}  // namespace ipclab::cli
