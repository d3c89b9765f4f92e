// Submissions: names, archives, and the copy of the student's files.
#include "grade_submissions.hpp"

#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "files.hpp"
#include "unpack.hpp"

namespace ipclab::cli {
namespace {

enum class kind { folder, zip, tar };

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

kind kind_of(const fs::path& p) {
  if (fs::is_directory(p)) return kind::folder;
  std::string n = p.filename().string();
  if (ends_with(n, ".zip")) return kind::zip;
  if (ends_with(n, ".tar.gz") || ends_with(n, ".tgz") || ends_with(n, ".tar")) return kind::tar;
  throw usage_error(fmt::format(
      "{}: a submission is a folder or a .zip, .tar.gz, .tgz or .tar archive", p.string()));
}

std::string base_name(const fs::path& p) {
  std::string n = p.lexically_normal().filename().string();
  if (n.empty()) n = p.lexically_normal().parent_path().filename().string();
  for (std::string_view ext : {".tar.gz", ".tgz", ".tar", ".zip"})
    if (ends_with(n, ext) && n.size() > ext.size()) {
      n.resize(n.size() - ext.size());
      break;
    }
  for (char& c : n)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') c = '_';
  if (n.empty() || n[0] == '.') n.insert(0, "submission");
  return n;
}

bool is_dir(const fs::path& p) { return fs::is_directory(fs::symlink_status(p)); }
bool is_file(const fs::path& p) { return fs::is_regular_file(fs::symlink_status(p)); }

/// The folder that holds the chapter folders (or the loose files).
fs::path locate_tree(fs::path root, const std::vector<const chapter*>& chapters) {
  for (int depth = 0; depth < 4; ++depth) {
    if (is_dir(root / "exercises")) return root / "exercises";
    for (const auto* c : chapters)
      if (is_dir(root / c->folder)) return root;
    std::vector<fs::path> dirs;
    bool has_files = false;
    for (const auto& e : fs::directory_iterator(root)) {
      std::string n = e.path().filename().string();
      if (n.empty() || n[0] == '.' || n == "__MACOSX") continue;
      if (is_dir(e.path())) dirs.push_back(e.path());
      else has_files = true;
    }
    if (dirs.size() != 1 || has_files) return root;
    root = dirs.front();
  }
  return root;
}

void copy_student_file(const fs::path& from, const fs::path& to) {
  if (fs::file_size(from) > kMaxFile)
    throw std::runtime_error(fmt::format("{} is larger than {} MiB: not a source file",
                                         from.filename().string(), kMaxFile >> 20));
  fs::copy_file(from, to);
}

void copy_regular_files(const fs::path& from, const fs::path& to) {
  fs::create_directories(to);
  for (const auto& e : fs::directory_iterator(from))
    if (is_file(e.path())) copy_student_file(e.path(), to / e.path().filename());
}

}  // namespace

std::uint64_t tree_fingerprint(const fs::path& tree, std::uint64_t h) {
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(tree))
    if (is_file(e.path())) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    h = fnv1a(f.lexically_relative(tree).string() + '\0', h);
    h = fnv1a(slurp(f), h);
  }
  return h;
}

std::vector<submission> find_submissions(const std::vector<std::string>& paths) {
  std::vector<submission> out;
  std::map<std::string, int> seen;
  for (const auto& p : paths) {
    fs::path path(p);
    if (!fs::exists(path)) throw usage_error(fmt::format("no submission at {}", p));
    kind_of(path);
    std::string name = base_name(path);
    if (int n = ++seen[name]; n > 1) name += fmt::format("-{}", n);
    out.push_back({name, path});
  }
  return out;
}

fs::path stage_submission(const submission& s, const fs::path& work,
                          const std::vector<const chapter*>& chapters, const fence_choice& fence) {
  fs::remove_all(work);
  fs::path root = s.origin;
  if (kind k = kind_of(s.origin); k != kind::folder) {
    root = work / "unpacked";
    try {
      unpack_archive(s.origin, k == kind::zip, root, submission_user(work), fence);
    } catch (...) {
      fs::remove_all(work);
      throw;
    }
  }
  fs::path tree = locate_tree(root, chapters);
  fs::path staged = work / "exercises";
  fs::create_directories(staged);
  for (const auto* c : chapters) {
    if (is_dir(tree / c->folder)) {
      copy_regular_files(tree / c->folder, staged / c->folder);
      continue;
    }
    bool loose = !c->files.empty() && std::all_of(c->files.begin(), c->files.end(),
                                                  [&](auto& f) { return is_file(tree / f); });
    if (!loose) continue;
    fs::create_directories(staged / c->folder);
    for (const auto& f : c->files) copy_student_file(tree / f, staged / c->folder / f);
  }
  if (root != s.origin) fs::remove_all(root);
  return staged;
}

}  // namespace ipclab::cli
