// Submissions: names, archives, and the copy of the student's files.
#include "grade_submissions.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <csignal>

#include <fmt/format.h>

#include "files.hpp"
#include "jail.hpp"
#include "process.hpp"

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

bool on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path ? path : "/usr/bin:/bin");
  for (std::string d; std::getline(dirs, d, ':');)
    if (!d.empty() && ::access((fs::path(d) / program).c_str(), X_OK) == 0) return true;
  return false;
}

// Archive limits: a class's submissions are source files, kilobytes each.
constexpr std::uintmax_t kMaxArchive = 32u << 20;   // bytes, as submitted
constexpr std::uintmax_t kMaxFile = 16u << 20;      // bytes, any one unpacked file
constexpr std::uintmax_t kMaxUnpacked = 64u << 20;  // bytes, everything unpacked
constexpr std::size_t kMaxEntries = 5000;

// Walks what an archive unpacked to; throws when it is too much.
void check_unpacked(const fs::path& root, const fs::path& archive) {
  std::uintmax_t total = 0;
  std::size_t entries = 0;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (++entries > kMaxEntries)
      throw std::runtime_error(fmt::format("{} holds more than {} files", archive.string(), kMaxEntries));
    if (fs::is_regular_file(e.symlink_status())) total += e.file_size();
    if (total > kMaxUnpacked)
      throw std::runtime_error(fmt::format("{} unpacks to more than {} MiB", archive.string(),
                                           kMaxUnpacked >> 20));
  }
}

void unpack(const fs::path& archive, kind k, const fs::path& into) {
  if (fs::file_size(archive) > kMaxArchive)
    throw std::runtime_error(fmt::format("{} is larger than {} MiB: not a source submission",
                                         archive.string(), kMaxArchive >> 20));
  fs::create_directories(into);
  std::vector<std::string> argv;
  // GNU tar and bsdtar refuse members with ".." and strip a leading "/".
  if (k == kind::tar)
    argv = {"tar", "-xf", archive.string(), "-C", into.string(), "--no-same-owner",
            "--no-same-permissions"};
  else if (on_path("bsdtar"))
    argv = {"bsdtar", "-xf", archive.string(), "-C", into.string(), "--no-same-owner"};
  else if (on_path("unzip"))
    argv = {"unzip", "-q", "-o", archive.string(), "-d", into.string()};
  else
    throw std::runtime_error(
        "cannot unpack .zip submissions: install bsdtar (Debian: libarchive-tools) or unzip");
  auto limit_files = [] {
    rlimit r{kMaxFile, kMaxFile};
    ::setrlimit(RLIMIT_FSIZE, &r);
    ::signal(SIGXFSZ, SIG_IGN);  // a file too large fails with EFBIG instead
  };
  auto r = run_program(argv, std::chrono::seconds(120), true, limit_files);
  if (r.exit_code != 0)
    throw std::runtime_error(fmt::format("could not unpack {} ({} exit {}; no file may exceed {} MiB): {}",
                                         archive.string(), argv[0], r.exit_code, kMaxFile >> 20,
                                         r.out.substr(0, 2000)));
  check_unpacked(into, archive);
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

// The staged copy is the compiler's to read (its group) and no one else's:
// not a test call's, nor another user's. Not root: a no-op.
void share_with_compiler(const fs::path& work) {
  constexpr auto kFolder = fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec;
  constexpr auto kFile = fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read;
  share_with_compile_group(work, kFolder);
  for (const auto& e : fs::recursive_directory_iterator(work))
    share_with_compile_group(e.path(), e.is_directory() ? kFolder : kFile);
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
                          const std::vector<const chapter*>& chapters) {
  fs::remove_all(work);
  fs::path root = s.origin;
  if (kind k = kind_of(s.origin); k != kind::folder) {
    root = work / "unpacked";
    try {
      unpack(s.origin, k, root);
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
  share_with_compiler(work);
  return staged;
}

}  // namespace ipclab::cli
