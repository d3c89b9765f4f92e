// The similarity report: students' chapter sources, minus the starter text,
// compared by sim_c++, and the pairs it finds written for the instructor.
#include "similarity.hpp"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <unistd.h>

#include <fmt/format.h>

#include "files.hpp"
#include "process.hpp"

namespace ipclab::cli {
namespace {

constexpr const char* kSim = "sim_c++";
const char* const kInstall = "apt-get install similarity-tester";

bool is_source(const fs::path& p) {
  static const std::set<std::string> kSource{".cpp", ".cc", ".cxx", ".c", ".hpp", ".hh", ".h"};
  return kSource.count(p.extension().string()) > 0;
}

/// @p line with its blanks collapsed to one space and trimmed.
std::string collapsed(const std::string& line) {
  std::string out;
  for (char c : line) {
    bool blank = c == ' ' || c == '\t' || c == '\r';
    if (!blank) out += c;
    else if (!out.empty() && out.back() != ' ') out += ' ';
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

bool has_word(const std::string& line) {
  return std::any_of(line.begin(), line.end(), [](unsigned char c) { return std::isalnum(c) != 0; });
}

bool in_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path != nullptr ? path : "");
  for (std::string dir; std::getline(dirs, dir, ':');)
    if (!dir.empty() && ::access((fs::path(dir) / program).c_str(), X_OK) == 0) return true;
  return false;
}

/// The starter text of a chapter: every source file the fill-in ships, and
/// the contract header (which students sometimes copy beside their code).
std::string starter_of(const kit& k, const std::string& chapter) {
  std::string text;
  std::error_code ec;
  for (const auto& e : fs::recursive_directory_iterator(k.source_dir / "exercises" / chapter, ec))
    if (e.is_regular_file() && is_source(e.path())) text += slurp(e.path()) + "\n";
  for (const auto& header : files_ending(k.source_dir / "chapters" / chapter, ".hpp")) text += slurp(header) + "\n";
  return text;
}

/// Copies each submission's sources of @p chapter, starter removed, to
/// @p into/<id>/<file>. Returns how many submissions had any.
int stage_for_sim(const fs::path& out, const std::string& chapter, const std::string& starter,
                  const fs::path& into) {
  int staged = 0;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(out, ec)) {
    std::string id = entry.path().filename().string();
    fs::path tree = out / ".work" / id / "exercises" / chapter;
    if (id.front() == '.' || !fs::exists(entry.path() / "results.json") || !fs::is_directory(tree)) continue;
    bool any = false;
    for (const auto& f : fs::recursive_directory_iterator(tree, ec)) {
      if (!f.is_regular_file(ec) || f.is_symlink(ec) || !is_source(f.path())) continue;
      fs::path to = into / id / fs::relative(f.path(), tree);
      fs::create_directories(to.parent_path());
      write_atomically(to, without_starter(slurp(f.path()), starter));
      any = true;
    }
    staged += any ? 1 : 0;
  }
  return staged;
}

}  // namespace

std::string without_starter(const std::string& source, const std::string& starter) {
  std::set<std::string> given;
  std::istringstream in(starter);
  for (std::string line; std::getline(in, line);)
    if (auto c = collapsed(line); has_word(c)) given.insert(c);
  std::string out;
  std::istringstream src(source);
  for (std::string line; std::getline(src, line);)
    if (!given.count(collapsed(line))) out += line + "\n";
  return out;
}

std::vector<similar_files> find_similar(const kit& k, const fs::path& out,
                                        const std::vector<std::string>& chapters, int threshold) {
  if (!in_path(kSim)) throw std::runtime_error(fmt::format("{} is not installed ({})", kSim, kInstall));
  std::vector<similar_files> found;
  fs::path scratch = out / ".similarity";
  fs::remove_all(scratch);
  struct removed {
    fs::path p;
    ~removed() { std::error_code ignored; fs::remove_all(p, ignored); }
  } cleanup{scratch};
  static const std::regex kLine(R"(^(.+) consists for (\d+) % of (.+) material$)");
  for (const auto& chapter : chapters) {
    fs::path dir = scratch / chapter;
    if (stage_for_sim(out, chapter, starter_of(k, chapter), dir) < 2) continue;
    // -p: percentages; -e: each file against each other file alone (the
    // most exact percentages); -a: both directions of every pair.
    auto run = run_program({kSim, "-p", "-e", "-a", "-R", "-T", "-t", std::to_string(threshold), dir.string()},
                           std::chrono::seconds(300));
    if (run.exit_code != 0)
      throw std::runtime_error(fmt::format("{} failed on {} (exit {}{}): {}", kSim, chapter, run.exit_code,
                                           run.timed_out ? ", timed out" : "", run.err));
    std::istringstream lines(run.out);
    std::string prefix = dir.string() + "/";
    auto split = [&](const std::string& path) {
      std::string rel = path.rfind(prefix, 0) == 0 ? path.substr(prefix.size()) : path;
      auto slash = rel.find('/');
      return std::pair{rel.substr(0, slash), slash == std::string::npos ? "" : rel.substr(slash + 1)};
    };
    for (std::string line; std::getline(lines, line);) {
      std::smatch m;
      if (!std::regex_match(line, m, kLine)) continue;
      auto [id, file] = split(m[1]);
      auto [of_id, of_file] = split(m[3]);
      int percent = std::stoi(m[2]);
      if (id == of_id || percent < threshold) continue;  // a submission's files among themselves
      found.push_back({chapter, id, file, of_id, of_file, percent});
    }
  }
  std::stable_sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
    return std::tie(a.chapter, b.percent, a.submission, a.of_submission) <
           std::tie(b.chapter, a.percent, b.submission, b.of_submission);
  });
  return found;
}

std::string write_similarity_report(const kit& k, const fs::path& out,
                                    const std::vector<std::string>& chapters, int threshold) {
  std::string head = fmt::format(
      "Similarity between submissions, per chapter: how much of one submission's file is found in\n"
      "another's, by {} (Dick Grune's similarity tester: layout, comments and names do not\n"
      "count), after every line of the fill-in's starter code was taken out. Pairs at or above\n"
      "{}%. A high figure is a reason to read both files, not a verdict.\n\n",
      kSim, threshold);
  std::vector<similar_files> found;
  try {
    found = find_similar(k, out, chapters, threshold);
  } catch (const std::exception& e) {
    std::string why = fmt::format("no similarity report: {}", e.what());
    std::error_code ignored;
    fs::remove(out / "similarity.csv", ignored);
    try {
      write_atomically(out / "similarity.txt", head + why + "\n");
    } catch (const std::exception&) {
    }
    fmt::print(stderr, "ipclab grade: {}\n", why);
    return why;
  }
  std::string text = head, csv = "chapter,submission,file,of_submission,of_file,percent\n";
  std::size_t pairs = 0;
  for (const auto& chapter : chapters) {
    // submission pair (in order of names) → its lines, the highest first
    std::map<std::pair<std::string, std::string>, std::vector<const similar_files*>> by_pair;
    for (const auto& f : found)
      if (f.chapter == chapter) by_pair[std::minmax(f.submission, f.of_submission)].push_back(&f);
    std::vector<std::pair<int, std::pair<std::string, std::string>>> order;
    for (const auto& [pair, files] : by_pair) order.push_back({files.front()->percent, pair});
    std::stable_sort(order.begin(), order.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    text += chapter + ":\n";
    if (order.empty()) text += fmt::format("  no pair at or above {}%\n", threshold);
    for (const auto& [percent, pair] : order) {
      text += fmt::format("  {} ~ {}: {}%\n", pair.first, pair.second, percent);
      for (const auto* f : by_pair[pair])
        text += fmt::format("    {}/{} is {}% {}/{}\n", f->submission, f->file, f->percent,
                            f->of_submission, f->of_file);
    }
    pairs += order.size();
  }
  auto quoted = [](const std::string& s) {
    std::string q = "\"";
    for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
  };
  for (const auto& f : found)
    csv += fmt::format("{},{},{},{},{},{}\n", f.chapter, quoted(f.submission), quoted(f.file),
                       quoted(f.of_submission), quoted(f.of_file), f.percent);
  try {
    write_atomically(out / "similarity.txt", text);
    write_atomically(out / "similarity.csv", csv);
  } catch (const std::exception& e) {
    fmt::print(stderr, "ipclab grade: no similarity report: {}\n", e.what());
    return fmt::format("no similarity report: {}", e.what());
  }
  return fmt::format("similarity: {} pair{} of submissions at or above {}% ({}/similarity.txt)", pairs,
                     pairs == 1 ? "" : "s", threshold, out.string());
}

}  // namespace ipclab::cli
