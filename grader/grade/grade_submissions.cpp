// Submissions: names, archives, and the copy of the student's files.
#include "grade_submissions.hpp"

#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "files.hpp"
#include "unpack.hpp"

namespace ipclab::cli {
namespace {

enum class kind { folder, zip, tar, unsupported };

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

kind kind_of(const fs::path& p) {
  if (fs::is_directory(p)) return kind::folder;
  std::string n = p.filename().string();
  for (char& c : n) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (ends_with(n, ".zip")) return kind::zip;
  if (ends_with(n, ".tar.gz") || ends_with(n, ".tgz") || ends_with(n, ".tar")) return kind::tar;
  return kind::unsupported;
}

std::string unsupported_reason(const fs::path& p) {
  std::string n = p.filename().string();
  std::string ext = p.extension().string();
  if (ext == ".cpp" || ext == ".hpp" || ext == ".h" || ext == ".c")
    return fmt::format("{} is a single file, not a submission: hand in a folder or an archive "
                       "(.zip, .tar.gz, .tgz, .tar) holding it", n);
  return fmt::format("{} is not a folder nor a .zip, .tar.gz, .tgz or .tar archive{}", n,
                     ext.empty() ? "" : fmt::format(" ({} archives are not read)", ext));
}

bool is_file(const fs::path& p) { return fs::is_regular_file(fs::symlink_status(p)); }

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
  for (const auto& p : paths) {
    fs::path path(p);
    if (!fs::exists(path)) throw usage_error(fmt::format("no submission at {}", p));
    submission s{submission_id(path), path, {}};
    if (kind_of(path) == kind::unsupported) s.unsupported = unsupported_reason(path);
    out.push_back(std::move(s));
  }
  // Told apart in the order of their paths, whatever the order given.
  std::vector<submission*> sorted;
  for (auto& s : out) sorted.push_back(&s);
  std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) {
    return std::pair(a->name, a->origin.string()) < std::pair(b->name, b->origin.string());
  });
  std::set<std::string> taken;
  for (auto* s : sorted) taken.insert(s->name);
  std::map<std::string, int> seen;
  for (auto* s : sorted)
    if (++seen[s->name] > 1) {
      std::string base = s->name;
      for (int n = 2;; ++n)
        if (taken.insert(s->name = fmt::format("{}-{}", base, n)).second) break;
    }
  return out;
}

staged_submission stage_submission(const submission& s, const fs::path& work,
                                   const std::vector<const chapter*>& chapters,
                                   const fence_choice& fence) {
  fs::remove_all(work);
  fs::path root = s.origin;
  std::vector<std::string> skipped;
  if (kind k = kind_of(s.origin); k != kind::folder) {
    root = work / "unpacked";
    try {
      skipped = unpack_archive(s.origin, k == kind::zip, root, submission_user(work), fence);
    } catch (...) {
      fs::remove_all(work);
      throw;
    }
  }
  staged_submission out{work / "exercises", {}};
  fs::create_directories(out.tree);
  out.layout = stage_layout(root, out.tree, chapters);
  out.layout.notes.insert(out.layout.notes.begin(), skipped.begin(), skipped.end());
  if (root != s.origin) fs::remove_all(root);
  return out;
}

}  // namespace ipclab::cli
