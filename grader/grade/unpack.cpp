// Unpacking a submission: sizes from the archive's own listing first, then
// the archiver behind the fence as the submission's user.
#include "unpack.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <optional>
#include <sstream>
#include <system_error>

#include <fmt/format.h>

#include "fence/sandbox_ids.hpp"
#include "files.hpp"
#include "grade_submissions.hpp"
#include "process.hpp"

namespace ipclab::cli {
namespace {

bool on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path ? path : "/usr/bin:/bin");
  for (std::string d; std::getline(dirs, d, ':');)
    if (!d.empty() && ::access((fs::path(d) / program).c_str(), X_OK) == 0) return true;
  return false;
}

fence::policy archiver_policy(const fs::path& archive, const fs::path& into, uid_t user,
                              const fence_choice& choice) {
  fence::policy p;
  p.weaker = choice.weaker;
  if (choice.namespaces) p.namespaces = fence::mount_ns | fence::ipc_ns;
  p.system_only = true;
  p.view.scratch = {"/tmp"};
  p.view.kept = {fs::canonical(archive).string(), fs::canonical(into).string()};
  if (user != static_cast<uid_t>(-1)) {
    p.uid = user;
    p.gid = static_cast<gid_t>(user);
  }
  p.limits = {{RLIMIT_FSIZE, kMaxFile}, {RLIMIT_CPU, 60}, {RLIMIT_AS, rlim_t{1} << 30},
              {RLIMIT_CORE, 0}, {RLIMIT_NOFILE, 64}};
  p.workdir = p.view.kept.back();
  return p;
}

/// The archiver could not list the archive: what it said.
struct listing_failed : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct listing {
  std::uintmax_t bytes = 0;
  std::size_t entries = 0;
};

// "-rw-r--r-- user/group SIZE date time name" (GNU tar), or bsdtar's
// "-rw-r--r--  0 user group SIZE month day time name": the size's column.
listing sum_column(const std::string& text, int column) {
  listing l;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty()) continue;
    std::istringstream fields(line);
    std::string field;
    for (int i = 0; i < column && fields >> field; ++i) {
    }
    ++l.entries;
    l.bytes += std::strtoull(field.c_str(), nullptr, 10);
  }
  return l;
}

// unzip -l ends with "   TOTAL_BYTES   N files".
listing unzip_total(const std::string& text) {
  std::istringstream lines(text);
  std::string last;
  for (std::string line; std::getline(lines, line);)
    if (!line.empty()) last = line;
  listing l;
  std::istringstream fields(last);
  fields >> l.bytes >> l.entries;
  return l;
}

listing read_listing(const fs::path& archive, bool zip, const fence::policy& p) {
  std::vector<std::string> argv;
  bool unzip = zip && on_path("unzip");
  if (unzip) argv = {"unzip", "-l", archive.string()};
  else argv = {zip ? "bsdtar" : "tar", "-tvf", archive.string()};
  auto r = run_program(argv, std::chrono::seconds(120), false, &p);
  if (r.exit_code != 0)
    throw listing_failed(r.out + r.err);
  if (unzip) return unzip_total(r.out);
  return sum_column(r.out, zip ? 5 : 3);
}

void check_unpacked(const fs::path& root, const fs::path& archive) {
  std::uintmax_t total = 0;
  std::size_t entries = 0;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (++entries > kMaxEntries)
      throw unpack_error(fmt::format("{} holds more than {} files", archive.filename().string(), kMaxEntries));
    if (fs::is_regular_file(e.symlink_status())) total += e.file_size();
    if (total > kMaxUnpacked)
      throw unpack_error(fmt::format("{} unpacks to more than {} MiB", archive.filename().string(),
                                     kMaxUnpacked >> 20));
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

}  // namespace

uid_t submission_user(const fs::path& work) {
  if (::geteuid() != 0) return static_cast<uid_t>(-1);
  return fence::submission_id(fnv1a(fs::weakly_canonical(work).string()));
}

std::vector<std::string> unpack_archive(const fs::path& archive, bool zip, const fs::path& into,
                                        uid_t user, const fence_choice& choice) {
  std::string name = archive.filename().string();
  if (fs::file_size(archive) > kMaxArchive)
    throw unpack_error(fmt::format("{} is larger than {} MiB: not a source submission", name,
                                   kMaxArchive >> 20));
  if (zip && !on_path("unzip") && !on_path("bsdtar"))
    throw machine_error(
        "this machine cannot unpack .zip submissions: install bsdtar (Debian: libarchive-tools) or unzip");
  // The archiver's user reads its own copy of the archive and writes into
  // @p into, both beside it in the staging folder.
  fs::create_directories(into);
  fs::path copy = into.parent_path() / ("archive" + archive.extension().string());
  fs::copy_file(archive, copy, fs::copy_options::overwrite_existing);
  for (const auto& p : {copy, into})
    if (user != static_cast<uid_t>(-1) && ::chown(p.c_str(), user, user) != 0)
      throw std::system_error(errno, std::generic_category(), "chown " + p.string());
  fs::permissions(into, fs::perms::owner_all);
  fs::permissions(copy, fs::perms::owner_read);
  struct removed {
    fs::path path;
    ~removed() { std::error_code ignored; fs::remove(path, ignored); }
  } copy_removed{copy};
  auto policy = archiver_policy(copy, into, user, choice);
  // The tools' words, with the archive called by the name it was handed in.
  auto in_their_terms = [&](std::string text) {
    const std::string own = copy.string();
    for (std::size_t at; (at = text.find(own)) != std::string::npos;) text.replace(at, own.size(), name);
    return in_students_terms(std::move(text), archive, into);
  };

  listing l;
  try {
    l = read_listing(copy, zip, policy);
  } catch (const listing_failed& e) {
    std::string why = in_their_terms(e.what());
    std::replace(why.begin(), why.end(), '\n', ' ');
    throw unpack_error(fmt::format("{}: {}", name, why.substr(0, 2000)));
  }
  if (l.entries > kMaxEntries)
    throw unpack_error(fmt::format("{} holds more than {} files (by its own listing): "
                                   "nothing was unpacked", name, kMaxEntries));
  if (l.bytes > kMaxUnpacked)
    throw unpack_error(fmt::format("{} unpacks to more than {} MiB ({} MiB by its own "
                                   "listing): nothing was unpacked",
                                   name, kMaxUnpacked >> 20, l.bytes >> 20));
  std::vector<std::string> argv;
  // GNU tar and bsdtar refuse members with ".." and strip a leading "/".
  if (!zip)
    argv = {"tar", "-xf", copy.string(), "-C", into.string(), "--no-same-owner",
            "--no-same-permissions"};
  else if (on_path("bsdtar"))
    argv = {"bsdtar", "-xf", copy.string(), "-C", into.string(), "--no-same-owner"};
  else
    argv = {"unzip", "-q", "-o", copy.string(), "-d", into.string()};
  auto r = run_program(argv, std::chrono::seconds(120), true, &policy);
  std::string said = in_their_terms(r.out.substr(0, 2000));
  if (r.exit_code == 127 || r.exit_code == 125 || (r.exit_code > 128 && !r.timed_out))
    throw machine_error(fmt::format("{} failed on {} (exit {}): {}", argv[0], name, r.exit_code, said));
  std::vector<std::string> notes;
  if (r.exit_code != 0) {
    auto refused = only_refused_members(r.out, into);
    if (!refused) {
      std::string why = r.timed_out ? "it took more than 120 s"
                        : r.out.find("File too large") != std::string::npos
                            ? fmt::format("a file in it is larger than {} MiB", kMaxFile >> 20)
                            : said;
      std::replace(why.begin(), why.end(), '\n', ' ');
      throw unpack_error(fmt::format("{}: {}", name, why));
    }
    notes = std::move(*refused);
  }
  check_unpacked(into, archive);
  return notes;
}

}  // namespace ipclab::cli
