// Where a submission keeps its chapters, and the copy of their sources.
#include "submission_layout.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include <fmt/format.h>

namespace ipclab::cli {
namespace {

// A student's source file is kilobytes; anything this large is not one.
constexpr std::uintmax_t kMaxSource = 4u << 20;
constexpr std::size_t kMaxNotes = 20;
constexpr int kMaxDepth = 4;

bool is_dir(const fs::path& p) { return fs::is_directory(fs::symlink_status(p)); }
bool is_file(const fs::path& p) { return fs::is_regular_file(fs::symlink_status(p)); }

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

/// Files the compiler reads: .cpp compiled, the others included.
bool is_source(const fs::path& p) {
  static const std::set<std::string> kinds{".cpp", ".hpp", ".h", ".hh", ".ipp", ".inl", ".tpp"};
  return kinds.count(p.extension().string()) > 0;
}

bool skipped_name(const std::string& n) { return n.empty() || n[0] == '.' || n == "__MACOSX"; }

std::vector<fs::path> entries(const fs::path& dir, bool folders) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (skipped_name(e.path().filename().string())) continue;
    if (folders ? is_dir(e.path()) : is_file(e.path())) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

/// The chapter's folder under @p tree: "01-pipes", "pipes", any case, '_' for '-'.
fs::path chapter_dir(const fs::path& tree, const chapter& c) {
  for (const auto& d : entries(tree, true)) {
    std::string n = lower(d.filename().string());
    std::replace(n.begin(), n.end(), '_', '-');
    if (n == c.folder || n == c.slug) return d;
  }
  return {};
}

bool holds_loose_file(const fs::path& dir, const chapter& c) {
  return std::any_of(c.files.begin(), c.files.end(), [&](auto& f) { return is_file(dir / f); });
}

/// The shallowest folder holding the chapters (folder layout preferred at
/// equal depth), or @p root.
fs::path find_tree(const fs::path& root, const std::vector<const chapter*>& chapters) {
  std::vector<fs::path> level{root};
  for (int depth = 0; depth <= kMaxDepth && !level.empty(); ++depth) {
    for (const auto& d : level) {
      if (is_dir(d / "exercises")) return d / "exercises";
      for (const auto* c : chapters)
        if (!chapter_dir(d, *c).empty()) return d;
    }
    for (const auto& d : level)
      for (const auto* c : chapters)
        if (holds_loose_file(d, *c)) return d;
    std::vector<fs::path> next;
    for (const auto& d : level)
      for (auto& sub : entries(d, true)) next.push_back(std::move(sub));
    level = std::move(next);
  }
  return root;
}

/// Names the submission's files as the student knows them.
std::string shown(const fs::path& p, const fs::path& root) {
  return p.lexically_relative(root).generic_string();
}

class stager {
 public:
  stager(const fs::path& root, const fs::path& staged) : root_(root), staged_(staged) {}

  void note(std::string text) {
    if (layout_.notes.size() < kMaxNotes) layout_.notes.push_back(std::move(text));
    else ++unsaid_;
  }

  /// Copies @p file into the chapter's staged folder if it is a source.
  bool take(const fs::path& file, const std::string& folder) {
    if (!is_source(file)) {
      note(fmt::format("{}: ignored, not a source file (.cpp, .hpp, .h are graded)", shown(file, root_)));
      return false;
    }
    if (fs::file_size(file) > kMaxSource) {
      note(fmt::format("{}: ignored, larger than {} MiB", shown(file, root_), kMaxSource >> 20));
      return false;
    }
    fs::create_directories(staged_ / folder);
    fs::copy_file(file, staged_ / folder / file.filename(), fs::copy_options::overwrite_existing);
    return true;
  }

  void missing(const chapter& c, std::string why) { layout_.missing[c.folder] = std::move(why); }

  submission_layout done() {
    if (unsaid_ > 0) layout_.notes.push_back(fmt::format("... and {} more files ignored", unsaid_));
    return std::move(layout_);
  }

  const fs::path& root() const { return root_; }

 private:
  fs::path root_, staged_;
  submission_layout layout_;
  std::size_t unsaid_ = 0;
};

/// Files in @p dir named like one of the chapter's files but not exactly:
/// "pipes.c", "Pipes.cpp", "pipes.cpp.txt" for "pipes.cpp".
std::vector<std::string> near_misses(const fs::path& dir, const chapter& c) {
  std::vector<std::string> out;
  for (const auto& f : entries(dir, false)) {
    std::string n = lower(f.filename().string());
    for (const auto& want : c.files)
      if (f.filename() != want && n.rfind(lower(fs::path(want).stem().string()) + ".", 0) == 0)
        out.push_back(f.filename().string());
  }
  return out;
}

std::string rename_advice(const std::vector<std::string>& found, const chapter& c) {
  return fmt::format("found {}: the kit compiles C++ files ending in .cpp; name it {}",
                     fmt::join(found, ", "), fmt::join(c.files, ", "));
}

void stage_folder(stager& s, const chapter& c, const fs::path& dir) {
  bool compiled = false;
  for (const auto& f : entries(dir, false))
    if (s.take(f, c.folder) && f.extension() == ".cpp") compiled = true;
  for (const auto& d : entries(dir, true))
    s.note(fmt::format("{}/: ignored, a chapter's sources lie directly in its folder", shown(d, s.root())));
  if (compiled) return;
  std::string where = shown(dir, s.root()) + "/";
  if (auto found = near_misses(dir, c); !found.empty())
    s.missing(c, fmt::format("no {} in {} ({})", fmt::join(c.files, ", "), where, rename_advice(found, c)));
  else
    s.missing(c, fmt::format("{} holds no .cpp file to compile (expected {})", where, fmt::join(c.files, ", ")));
}

}  // namespace

submission_layout stage_layout(const fs::path& root, const fs::path& staged,
                               const std::vector<const chapter*>& chapters) {
  stager s(root, staged);
  fs::path tree = find_tree(root, chapters);
  std::vector<const chapter*> loose;
  std::set<std::string> chapter_files;
  for (const auto* c : chapters) {
    chapter_files.insert(c->files.begin(), c->files.end());
    if (fs::path dir = chapter_dir(tree, *c); !dir.empty()) stage_folder(s, *c, dir);
    else if (holds_loose_file(tree, *c)) loose.push_back(c);
    else if (auto found = near_misses(tree, *c); !found.empty())
      s.missing(*c, fmt::format("no {} in the submission ({})", fmt::join(c->files, ", "),
                                rename_advice(found, *c)));
    else
      s.missing(*c, fmt::format("not submitted: no folder {}/ (nor {}) in the submission", c->folder,
                                fmt::join(c->files, ", ")));
  }
  if (loose.empty()) return s.done();
  // Loose files: each chapter's own, and the helpers beside them (helper
  // sources only when a single chapter's files are there: whose are they?).
  for (const auto& f : entries(tree, false)) {
    std::string name = f.filename().string();
    bool own = false;
    for (const auto* c : loose)
      if (std::find(c->files.begin(), c->files.end(), name) != c->files.end()) {
        s.take(f, c->folder);
        own = true;
      }
    if (own || chapter_files.count(name)) continue;
    if (f.extension() == ".cpp" && loose.size() > 1) {
      s.note(fmt::format("{}: ignored, files of several chapters lie side by side (put each chapter in "
                         "its own folder, e.g. {}/)", shown(f, root), loose.front()->folder));
      continue;
    }
    if (!is_source(f)) {
      s.take(f, loose.front()->folder);  // notes why it is ignored
      continue;
    }
    for (const auto* c : loose) s.take(f, c->folder);
  }
  return s.done();
}

std::string submission_id(const fs::path& origin) {
  std::string n = origin.lexically_normal().filename().string();
  if (n.empty()) n = origin.lexically_normal().parent_path().filename().string();
  for (std::string_view ext : {".tar.gz", ".tgz", ".tar", ".zip"})
    if (n.size() > ext.size() && lower(n).compare(n.size() - ext.size(), ext.size(), ext) == 0) {
      n.resize(n.size() - ext.size());
      break;
    }
  std::string id;
  for (std::size_t i = 0; i < n.size();) {
    auto c = static_cast<unsigned char>(n[i]);
    // A whole UTF-8 sequence (2 to 4 bytes, continuation bytes 10xxxxxx) is a letter kept.
    std::size_t len = c >= 0xF0 && c < 0xF5 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 1;
    bool sequence = len > 1 && i + len <= n.size() &&
                    std::all_of(n.begin() + static_cast<long>(i) + 1, n.begin() + static_cast<long>(i + len),
                                [](char b) { return (static_cast<unsigned char>(b) & 0xC0) == 0x80; });
    if (sequence) {
      id.append(n, i, len);
      i += len;
      continue;
    }
    id += std::isalnum(c) || c == '-' || c == '_' || c == '.' ? static_cast<char>(c) : '_';
    ++i;
  }
  if (id.empty() || id[0] == '.') id.insert(0, "submission");
  return id;
}

}  // namespace ipclab::cli
