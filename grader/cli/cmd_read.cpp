// `ipclab read CH`: the chapter's notes in the terminal.
#include <memory>

#include <fmt/format.h>

#include "commands.hpp"
#include "notes.hpp"
#include "pager.hpp"
#include "render.hpp"

namespace ipclab::cli {
namespace {

int run_read(const std::string& name) {
  kit k = kit::load();
  const chapter& c = k.find(name);
  if (!fs::exists(c.dir / "README.md"))
    throw usage_error(fmt::format("chapters/{} has no README.md", c.folder));
  std::string text = notes_for_terminal(c, use_colour(), k.binary_dir / "diagrams");
  if (text.find_first_not_of(" \n") == std::string::npos) {
    fmt::print("The notes of {} are not written yet. Meanwhile: `./ipclab demo {}`, the contract "
               "chapters/{}/{}.hpp, and APUE {}.\n", c.folder, c.slug, c.folder, c.slug, c.apue);
    return 0;
  }
  page(text);
  return 0;
}

}  // namespace

void add_read(CLI::App& app, commands& cmds) {
  auto name = std::make_shared<std::string>();
  auto* sub = app.add_subcommand("read", "the chapter's notes in the terminal (through $PAGER)");
  sub->add_option("chapter", *name, "a chapter: slug, number or folder")->required();
  sub->footer("The web version, with the diagrams, comes from `./ipclab docs`.");
  sub->callback([&cmds, name] { cmds.selected = [name] { return run_read(*name); }; });
}

}  // namespace ipclab::cli
