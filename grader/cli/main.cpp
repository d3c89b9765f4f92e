// The `ipclab` command: subcommands, exit codes, and errors said plainly.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "commands.hpp"
#include "check.hpp"
#include "kit.hpp"

int main(int argc, char** argv) {
  CLI::App app{"ipclab: learn UNIX inter-process communication by doing it.\n"
               "Without a command, shows your progress and what to do next."};
  app.require_subcommand(0, 1);
  app.footer("Exit codes: 0 done/all passed, 1 some test failed, 2 bad usage, 3 did not compile,\n"
             "4 internal error (the kit failed, not your code: please report it).");
  ipclab::cli::commands cmds;
  ipclab::cli::register_commands(app, cmds);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return ipclab::cli::bad_usage;
  }
  try {
    return cmds.run(app);
  } catch (const ipclab::cli::usage_error& e) {
    fmt::print(stderr, "ipclab: {}\n", e.what());
    return ipclab::cli::bad_usage;
  } catch (const std::exception& e) {
    fmt::print(stderr, "ipclab: internal error (the kit failed, not your code; please report it):\n  {}\n",
               e.what());
    return ipclab::cli::internal_error;
  } catch (...) {
    fmt::print(stderr, "ipclab: internal error: an exception of unknown type\n");
    return ipclab::cli::internal_error;
  }
}
