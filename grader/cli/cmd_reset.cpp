// `ipclab reset CH [--yes]`: back to the shipped fill-in, keeping a backup.
#include <unistd.h>

#include <ctime>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "commands.hpp"
#include "files.hpp"
#include "process.hpp"
#include "progress.hpp"

namespace ipclab::cli {
namespace {

struct reset_options {
  std::string chapter;
  bool yes = false;
};

using file_set = std::map<std::string, std::string>;  // file name → content

/// The shipped files from git's HEAD, when the kit is a git checkout that
/// tracks them; empty otherwise.
file_set from_git(const kit& k, const chapter& c) {
  auto git = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"git", "-C", k.source_dir.string()});
    return run_program(args, std::chrono::seconds(30));
  };
  auto top = git({"rev-parse", "--show-toplevel"});
  if (top.exit_code != 0) return {};
  while (!top.out.empty() && top.out.back() == '\n') top.out.pop_back();
  if (fs::weakly_canonical(top.out) != k.source_dir) return {};
  std::string folder = "exercises/" + c.folder;
  auto names = git({"ls-tree", "--name-only", "HEAD", folder + "/"});
  file_set files;
  std::istringstream in(names.out);
  for (std::string path; std::getline(in, path);) {
    auto blob = git({"show", "HEAD:" + path});
    if (blob.exit_code != 0) return {};
    files[fs::path(path).filename().string()] = blob.out;
  }
  return files;
}

/// The shipped files as copied into the build when it was first configured.
file_set from_pristine_copy(const kit& k, const chapter& c) {
  file_set files;
  fs::path dir = k.pristine_dir / c.folder;
  if (!fs::is_directory(dir)) return files;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file()) files[e.path().filename().string()] = slurp(e.path());
  return files;
}

/// @p p relative to the kit's folder when it is inside it, as the student sees it.
std::string shown(const kit& k, const fs::path& p) {
  fs::path rel = fs::relative(p, k.source_dir);
  return rel.empty() || *rel.begin() == ".." ? p.string() : rel.string();
}

bool confirmed(const std::string& target, const std::string& backup) {
  fmt::print("restore {} to the shipped version? your files are kept in {}/ [y/N] ",
             target, backup);
  std::fflush(stdout);
  std::string answer;
  std::getline(std::cin, answer);
  return answer == "y" || answer == "Y" || answer == "yes";
}

int run_reset(const reset_options& o) {
  kit k = kit::load();
  const chapter& c = k.find(o.chapter);
  fs::path target = k.exercises_dir() / c.folder;
  std::string shown_target = shown(k, target);
  std::time_t now = std::time(nullptr);
  fs::path backup = state_dir(k) / "backup" /
                    fmt::format("{}-{:%Y%m%d-%H%M%S}", c.folder, fmt::localtime(now));
  if (!o.yes) {
    if (!::isatty(STDIN_FILENO)) {
      fmt::print(stderr, "ipclab reset: no terminal to ask whether to restore {}; "
                         "run `./ipclab reset {} --yes` to do it without asking.\n",
                 shown_target, c.slug);
      return bad_usage;
    }
    if (!confirmed(shown_target, shown(k, backup))) {
      fmt::print("Nothing changed.\n");
      return 0;
    }
  }
  file_set shipped = from_git(k, c);
  const char* origin = "git (HEAD)";
  if (shipped.empty()) {
    shipped = from_pristine_copy(k, c);
    origin = "the copy made when the kit was first built";
  }
  if (shipped.empty())
    throw std::runtime_error(fmt::format(
        "cannot find the shipped files of {}: neither git nor {} has them", shown_target,
        k.pristine_dir.string()));

  if (fs::exists(target)) {
    fs::create_directories(backup.parent_path());
    fs::copy(target, backup, fs::copy_options::recursive);
    // Empty the folder but keep it: a running `ipclab watch` keeps watching it.
    for (const auto& e : fs::directory_iterator(target)) fs::remove_all(e.path());
    fmt::print("Your files are kept in {}/\n", shown(k, backup));
  }
  fs::create_directories(target);
  for (const auto& [name, content] : shipped) {
    std::ofstream out(target / name, std::ios::binary);
    out << content;
    if (!out.flush()) throw std::runtime_error(fmt::format("cannot write {}", (target / name).string()));
  }
  fmt::print("Restored {} from {}. `./ipclab check {}` scores it 0 again: over to you.\n",
             shown_target, origin, c.slug);
  return 0;
}

}  // namespace

void add_reset(CLI::App& app, commands& cmds) {
  auto o = std::make_shared<reset_options>();
  auto* sub = app.add_subcommand("reset", "restore a chapter's fill-in as shipped (asks first, keeps a backup)");
  sub->add_option("chapter", o->chapter, "a chapter: slug, number or folder")->required();
  sub->add_flag("-y,--yes", o->yes, "do it without asking (needed without a terminal)");
  sub->footer("Your current files are copied to .ipclab/backup/NN-slug-<time>/ before anything changes.");
  sub->callback([&cmds, o] { cmds.selected = [o] { return run_reset(*o); }; });
}

}  // namespace ipclab::cli
