// `ipclab demo CH [--trace]`: runs the chapter's narrated demo.
#include <cstdlib>
#include <memory>

#include <fmt/format.h>

#include "commands.hpp"
#include "kit.hpp"
#include "process.hpp"

namespace ipclab::cli {
namespace {

struct demo_options {
  std::string chapter;
  bool trace = false;
};

int run_demo(const demo_options& o) {
  kit k = kit::load();
  const chapter& c = k.find(o.chapter);
  if (!fs::exists(c.demo_binary))
    throw usage_error(fmt::format(
        "the demo of {} is not built ({} is missing): run ./ipclab from the kit's folder to build it",
        c.folder, c.demo_binary.string()));
  if (o.trace) ::setenv("IPCLAB_TRACE", "1", 1);
  return run_interactive({c.demo_binary.string()});
}

}  // namespace

void add_demo(CLI::App& app, commands& cmds) {
  auto o = std::make_shared<demo_options>();
  auto* sub = app.add_subcommand("demo", "run the chapter's narrated demo");
  sub->add_option("chapter", o->chapter, "a chapter: slug, number or folder")->required();
  sub->add_flag("--trace", o->trace,
                "also show, at each step, each process's descriptors (which pipe or socket end, "
                "who holds the other end) and the IPC objects (IPCLAB_TRACE=1)");
  sub->footer("Its source, worth reading alongside: chapters/NN-slug/demo.cpp. "
              "The exit code is the demo's.");
  sub->callback([&cmds, o] { cmds.selected = [o] { return run_demo(*o); }; });
}

}  // namespace ipclab::cli
