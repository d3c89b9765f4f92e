// `ipclab hint CH [--reset]`: the next hint, one at a time, remembered.
#include <algorithm>
#include <memory>
#include <sstream>

#include <fmt/format.h>

#include "commands.hpp"
#include "hints.hpp"
#include "progress.hpp"
#include "render.hpp"

namespace ipclab::cli {
namespace {

struct hint_options {
  std::string chapter;
  bool reset = false;
};

/// @p text after @p label, wrapped at 78 columns, continued with an indent.
std::string wrapped(const std::string& label, const std::string& text) {
  std::string out, line = label;
  std::istringstream words(text);
  for (std::string w; words >> w;) {
    if (line.size() + 1 + w.size() > 78 && line.size() > 2) {
      out += line + "\n";
      line = " ";
    }
    line += " " + w;
  }
  return out + line + "\n";
}

void print_hint(const chapter& c, std::size_t index, const std::string& for_test = "") {
  std::string label = fmt::format("hint {} of {}{}:", index + 1, c.hints.size(),
                                  for_test.empty() ? "" : ", for the failing test \"" + for_test + "\"");
  std::string text = wrapped(label, parse_hint(c.hints[index]).text);
  fmt::print("{}{}", paint(label, fmt::emphasis::bold), text.substr(label.size()));
}

/// After a failed check: the first hint not given yet that fits the first
/// failing test (for which a hint exists), shown and remembered. False when
/// no check is remembered or every fitting hint was given.
bool hint_for_failure(const kit& k, const chapter& c) {
  const auto given = hints_given(k, c);
  auto is_given = [&](std::size_t i) { return std::find(given.begin(), given.end(), i) != given.end(); };
  for (const auto& t : remembered_failures(k, c)) {
    bool fitting = false;
    for (std::size_t i = 0; i < c.hints.size(); ++i) {
      if (!fits(parse_hint(c.hints[i]), t)) continue;
      fitting = true;
      if (is_given(i)) continue;
      remember_hint_given(k, c, i);
      print_hint(c, i, t.name);
      bool more = false;
      for (std::size_t j = i + 1; j < c.hints.size(); ++j) more = more || fits(parse_hint(c.hints[j]), t);
      fmt::print("\nAsk again (`./ipclab hint {}`) for {}; `./ipclab check {}` after a change "
                 "points the hints at what fails then.\n",
                 c.slug, more ? "the next hint of this failure" : "the hints in order", c.slug);
      return true;
    }
    if (fitting) return false;  // the first failure with hints has had them all
  }
  return false;
}

int run_hint(const hint_options& o) {
  kit k = kit::load();
  const chapter& c = k.find(o.chapter);
  if (o.reset) {
    update_progress(k, [&](progress& p) { p.chapters[c.folder].hints_shown = 0; });
    forget_hints_given(k, c);
    fmt::print("The hints of {} are hidden again: `./ipclab hint {}` shows the first.\n", c.folder,
               c.slug);
    return 0;
  }
  if (c.hints.empty()) {
    fmt::print("{} has no hints. The contract chapters/{}/{}.hpp and the notes "
               "(`./ipclab read {}`) say what each function must do.\n",
               c.folder, c.folder, c.slug, c.slug);
    return 0;
  }
  if (hint_for_failure(k, c)) return 0;
  std::size_t shown = 0;
  update_progress(k, [&](progress& p) {
    auto& entry = p.chapters[c.folder];
    shown = static_cast<std::size_t>(std::max(entry.hints_shown, 0));
    if (shown < c.hints.size()) entry.hints_shown = static_cast<int>(++shown);
    else shown = c.hints.size() + 1;  // nothing new to reveal
  });
  if (shown > c.hints.size()) {
    fmt::print("You have seen all {} hints of {}; here they are again:\n", c.hints.size(), c.folder);
    for (std::size_t i = 0; i < c.hints.size(); ++i) print_hint(c, i);
    fmt::print("\n`./ipclab hint {} --reset` hides them again.\n", c.slug);
    return 0;
  }
  print_hint(c, shown - 1);
  if (shown < c.hints.size())
    fmt::print("\nStill stuck? `./ipclab hint {}` again gives the next, more explicit one.\n", c.slug);
  else
    fmt::print("\nThat was the last hint. The notes (`./ipclab read {}`) and APUE {} go further.\n",
               c.slug, c.apue);
  return 0;
}

}  // namespace

void add_hint(CLI::App& app, commands& cmds) {
  auto o = std::make_shared<hint_options>();
  auto* sub = app.add_subcommand("hint", "the next hint for a chapter, gentlest first");
  sub->add_option("chapter", o->chapter, "a chapter: slug, number or folder")->required();
  sub->add_flag("--reset", o->reset, "hide the hints again, to start over from the first");
  sub->footer("After a failed `ipclab check`, the first hint is one that fits the first failing "
              "test (chapter.toml ties a hint to tests by their tags); otherwise each call "
              "reveals the next hint in order, remembered in .ipclab/state.json.");
  sub->callback([&cmds, o] { cmds.selected = [o] { return run_hint(*o); }; });
}

}  // namespace ipclab::cli
