// `ipclab` without a command: progress of every chapter and the next step.
#include <fmt/format.h>

#include "commands.hpp"
#include "progress.hpp"
#include "render.hpp"

namespace ipclab::cli {
namespace {

void print_next_step(const kit& k, const chapter& c, const chapter_progress& p) {
  auto cmd = [](const std::string& text) { return paint(text, fmt::emphasis::bold); };
  fmt::print("{}\n", paint(fmt::format("Next: {:02} {} (APUE {})", c.number, c.title, c.apue),
                           fmt::emphasis::bold));
  if (!c.summary.empty()) fmt::print("  The exercise: {}\n", c.summary);
  if (p.checked)
    fmt::print("  Your last check ({}) scored {}/{}.\n", p.checked_at, p.score, p.max_score);
  fmt::print("  1. read the notes     {}\n", cmd("./ipclab read " + c.slug));
  fmt::print("  2. run the demo       {}\n", cmd("./ipclab demo " + c.slug));
  for (const auto& f : c.files) {
    fs::path file = fs::relative(k.exercises_dir() / c.folder / f, k.source_dir);
    fmt::print("  3. edit               {}\n", cmd(file.string()));
  }
  fmt::print("     (the contract you implement is chapters/{}/{}.hpp)\n", c.folder, c.slug);
  fmt::print("  4. check your work    {}   or, re-checking on every save:  {}\n",
             cmd("./ipclab check " + c.slug), cmd("./ipclab watch " + c.slug));
  if (!c.hints.empty())
    fmt::print("  Stuck? {} gives one hint at a time ({} of {} seen).\n",
               cmd("./ipclab hint " + c.slug), p.hints_shown, c.hints.size());
}

int run_home() {
  kit k = kit::load();
  progress p = load_progress(k);
  fmt::print("{}\n", paint("ipclab: UNIX inter-process communication, learnt by doing it",
                           fmt::emphasis::bold));
  fmt::print("Each chapter has notes, a demo to run, and functions for you to write;\n"
             "`./ipclab check` runs graded tests on them and says what went wrong.\n\n");
  if (k.chapters.empty()) {
    fmt::print("No chapter is built yet: run ./ipclab from the kit's folder to build them.\n");
    return 0;
  }
  fmt::print("Chapters:\n");
  print_chapters(k, p);
  fmt::print("\n");
  for (const auto& c : k.chapters) {
    if (!p.of(c).done()) {
      print_next_step(k, c, p.of(c));
      fmt::print("\nEvery command explains itself: ./ipclab --help, ./ipclab check --help ...\n");
      return 0;
    }
  }
  fmt::print("{}\n", paint("Every chapter is done: well played.", fg(fmt::color::green)));
  fmt::print("Reread any chapter with ./ipclab read CH; ./ipclab reset CH starts one over.\n");
  return 0;
}

}  // namespace

void add_home(commands& cmds) { cmds.selected = run_home; }

}  // namespace ipclab::cli
