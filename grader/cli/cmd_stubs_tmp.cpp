// Temporary: commands being written.
#include "commands.hpp"

namespace ipclab::cli {
void add_home(commands&) {}
void add_list(CLI::App&, commands&) {}
void add_read(CLI::App&, commands&) {}
void add_demo(CLI::App&, commands&) {}
void add_hint(CLI::App&, commands&) {}
void add_watch(CLI::App&, commands&) {}
void add_reset(CLI::App&, commands&) {}
}  // namespace ipclab::cli
