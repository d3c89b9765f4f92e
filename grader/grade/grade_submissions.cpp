// Submissions: names, archives, and the copy of the student's files.
#include "grade_submissions.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include <csignal>

#include <fmt/format.h>

#include "files.hpp"
#include "jail.hpp"
#include "process.hpp"

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
  std::string name = archive.filename().string();
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (++entries > kMaxEntries)
      throw unpack_error(fmt::format("{} holds more than {} files", name, kMaxEntries));
    if (fs::is_regular_file(e.symlink_status())) total += e.file_size();
    if (total > kMaxUnpacked)
      throw unpack_error(fmt::format("{} unpacks to more than {} MiB", name, kMaxUnpacked >> 20));
  }
}

/// When every complaint of the unpacking tool in @p out is about a member
/// it refused or cut short (a path with "..", a file over the size limit;
/// the rest is unpacked), those members' notes, the cut ones removed from
/// @p into; std::nullopt when anything else went wrong.
std::optional<std::vector<std::string>> only_refused_members(const std::string& out,
                                                             const fs::path& into) {
  static const std::pair<std::string_view, std::string_view> kRefusals[] = {
      {": Member name contains '..'", "an archive member may not lead out of its folder (..)"},
      {": Path contains '..'", "an archive member may not lead out of its folder (..)"},
      {": Wrote only ", "larger than the 16 MiB a file may have"},
      {": Cannot write: File too large", "larger than the 16 MiB a file may have"},
      {":  write error (disk full?)", "larger than the 16 MiB a file may have"}};
  std::vector<std::string> refused;
  std::istringstream lines(out);
  const std::string prefix = into.string() + "/";
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line.find("Removing leading") != std::string::npos ||
        line.find("Exiting with failure status due to previous errors") != std::string::npos ||
        line.find("Error exit delayed from previous errors") != std::string::npos ||
        line.find("is probably truncated") != std::string::npos ||
        line.find("path component(s) in") != std::string::npos)  // unzip kept it inside
      continue;
    bool known = false;
    for (const auto& [marker, why] : kRefusals)
      if (auto at = line.find(marker); at != std::string::npos) {
        std::string member = line.substr(0, at);
        if (member.rfind("tar: ", 0) == 0) member.erase(0, 5);
        if (member.rfind(prefix, 0) == 0) member.erase(0, prefix.size());
        if (member.find("..") == std::string::npos) fs::remove(into / member);
        refused.push_back(fmt::format("{}: skipped, {}", member, why));
        known = true;
        break;
      }
    if (!known) return std::nullopt;
  }
  if (refused.empty()) return std::nullopt;
  return refused;
}

/// The tool's words with the grader's paths taken out: the student knows
/// the archive by its name, and its members by their paths in it.
std::string in_students_terms(std::string text, const fs::path& archive, const fs::path& into) {
  for (const auto& [path, shown] : {std::pair(into.string() + "/", std::string()),
                                    std::pair(archive.string(), archive.filename().string())})
    for (std::size_t at; (at = text.find(path)) != std::string::npos;) text.replace(at, path.size(), shown);
  return text;
}

/// Unpacks @p archive into @p into; returns the members skipped, noted.
std::vector<std::string> unpack(const fs::path& archive, kind k, const fs::path& into) {
  std::string name = archive.filename().string();
  if (fs::file_size(archive) > kMaxArchive)
    throw unpack_error(fmt::format("{} is larger than {} MiB: not a source submission", name,
                                   kMaxArchive >> 20));
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
    throw machine_error(
        "this machine cannot unpack .zip submissions: install bsdtar (Debian: libarchive-tools) or unzip");
  auto limit_files = [] {
    rlimit r{kMaxFile, kMaxFile};
    ::setrlimit(RLIMIT_FSIZE, &r);
    ::signal(SIGXFSZ, SIG_IGN);  // a file too large fails with EFBIG instead
  };
  auto r = run_program(argv, std::chrono::seconds(120), true, limit_files);
  std::vector<std::string> notes;
  if (r.exit_code == 127 || (r.exit_code > 128 && !r.timed_out))
    throw machine_error(fmt::format("{} failed on {} (exit {}): {}", argv[0], name, r.exit_code,
                                    in_students_terms(r.out.substr(0, 2000), archive, into)));
  if (r.exit_code != 0) {
    auto refused = only_refused_members(r.out, into);
    if (!refused) {
      std::string why = r.timed_out ? "it took more than 120 s"
                        : r.out.find("File too large") != std::string::npos
                            ? fmt::format("a file in it is larger than {} MiB", kMaxFile >> 20)
                            : in_students_terms(r.out.substr(0, 2000), archive, into);
      std::replace(why.begin(), why.end(), '\n', ' ');
      throw unpack_error(fmt::format("{}: {}", name, why));
    }
    notes = std::move(*refused);
  }
  check_unpacked(into, archive);
  return notes;
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
                                   const std::vector<const chapter*>& chapters) {
  fs::remove_all(work);
  fs::path root = s.origin;
  std::vector<std::string> skipped;
  if (kind k = kind_of(s.origin); k != kind::folder) {
    root = work / "unpacked";
    try {
      skipped = unpack(s.origin, k, root);
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
  share_with_compiler(work);
  return out;
}

}  // namespace ipclab::cli
