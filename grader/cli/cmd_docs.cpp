// `ipclab docs`: builds the Doxygen site with the `docs` presets and prints
// where its main page is.
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include <fmt/format.h>

#include "commands.hpp"
#include "kit.hpp"
#include "process.hpp"

namespace ipclab::cli {
namespace {

// The Debian packages the site needs, each with a file that proves it is there.
bool tools_present() {
  struct tool {
    const char* package;
    const char* probe;
  };
  const tool tools[] = {{"doxygen", "/usr/bin/doxygen"},
                        {"graphviz", "/usr/bin/dot"},
                        {"doxygen-awesome-css", "/usr/share/doxygen-awesome-css/doxygen-awesome.css"}};
  std::vector<std::string> missing;
  for (const tool& t : tools)
    if (!fs::exists(t.probe)) missing.emplace_back(t.package);
  if (missing.empty()) return true;
  fmt::print(stderr, "ipclab docs: the site needs these Debian packages: {}\n"
                     "  `./ipclab docs`, from the kit's folder, installs them (packages-docs.txt)\n",
             fmt::join(missing, " "));
  return false;
}

int build_docs() {
  kit k = kit::load();
  if (!tools_present()) return 2;
  // `cmake --build --preset` reads CMakePresets.json from the current folder.
  std::error_code ec;
  fs::current_path(k.source_dir, ec);
  if (ec) throw usage_error(fmt::format("cannot enter {}: {}", k.source_dir.string(), ec.message()));
  if (run_interactive({"cmake", "--preset", "docs"}) != 0 ||
      run_interactive({"cmake", "--build", "--preset", "docs"}) != 0) {
    fmt::print(stderr, "ipclab docs: the site was not built (see above; a Doxygen "
                       "warning fails the build, with the file and line to fix).\n");
    return 2;
  }
  const fs::path index = k.source_dir / "build" / "docs" / "docs" / "html" / "index.html";
  if (!fs::exists(index)) {
    fmt::print(stderr, "ipclab docs: the build succeeded but {} is missing.\n", index.string());
    return 2;
  }
  fmt::print("The site is built. Open it in a browser:\n  file://{}\n", index.string());
  return 0;
}

}  // namespace

void add_docs(CLI::App& app, commands& cmds) {
  auto* sub = app.add_subcommand("docs", "build the documentation site and print where it is");
  sub->footer("Builds the `docs` preset into build/docs with Doxygen and graphviz. "
              "Run as `./ipclab docs`, the launcher first installs the site's Debian "
              "packages (packages-docs.txt), through sudo when not root.");
  sub->callback([&cmds] { cmds.selected = [] { return build_docs(); }; });
}

}  // namespace ipclab::cli
