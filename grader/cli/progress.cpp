// Reading and writing state.json.
#include "progress.hpp"

#include <ctime>
#include <fstream>

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "hints.hpp"

#include "files.hpp"

namespace ipclab::cli {
namespace {

fs::path state_file(const kit& k) { return state_dir(k) / "state.json"; }

std::string now_text() {
  std::time_t t = std::time(nullptr);
  std::tm local{};
  ::localtime_r(&t, &local);
  return fmt::format("{:%Y-%m-%d %H:%M}", local);
}

nlohmann::json to_json(const progress& p) {
  nlohmann::json chapters = nlohmann::json::object();
  for (const auto& [folder, c] : p.chapters) {
    nlohmann::json entry{{"hints_shown", c.hints_shown}};
    if (c.checked)
      entry["last_check"] = {{"score", c.score}, {"max_score", c.max_score}, {"time", c.checked_at}};
    chapters[folder] = entry;
  }
  return {{"version", 1}, {"chapters", chapters}};
}

progress from_json(const nlohmann::json& j) {
  progress p;
  const auto chapters = j.value("chapters", nlohmann::json::object());
  for (const auto& [folder, entry] : chapters.items()) {
    chapter_progress c;
    c.hints_shown = entry.value("hints_shown", 0);
    if (entry.contains("last_check")) {
      const auto& last = entry["last_check"];
      c.checked = true;
      c.score = last.value("score", 0);
      c.max_score = last.value("max_score", 0);
      c.checked_at = last.value("time", "");
    }
    p.chapters[folder] = c;
  }
  return p;
}

}  // namespace

chapter_progress progress::of(const chapter& c) const {
  auto it = chapters.find(c.folder);
  return it == chapters.end() ? chapter_progress{} : it->second;
}

fs::path state_dir(const kit& k) {
  if (const char* dir = std::getenv("IPCLAB_STATE_DIR"); dir != nullptr && *dir != '\0') return dir;
  return k.source_dir / ".ipclab";
}

progress load_progress(const kit& k) {
  std::ifstream in(state_file(k));
  if (!in) return {};
  try {
    return from_json(nlohmann::json::parse(in));
  } catch (const nlohmann::json::exception& e) {
    fmt::print(stderr, "ipclab: ignoring {} (it is damaged: {}); your progress starts over\n",
               state_file(k).string(), e.what());
    return {};
  }
}

void update_progress(const kit& k, const std::function<void(progress&)>& change) {
  progress p = load_progress(k);
  change(p);
  fs::create_directories(state_dir(k));
  write_atomically(state_file(k), to_json(p).dump(2) + "\n");
}

void record_check(const kit& k, const chapter& c, const chapter_report& r) {
  update_progress(k, [&](progress& p) {
    auto& entry = p.chapters[c.folder];
    entry.checked = true;
    entry.score = r.results.value("score", 0);
    entry.max_score = r.results.value("max_score", 0);
    entry.checked_at = now_text();
  });
  remember_failures(k, c, r);  // for `ipclab hint`: the hint of the first failure
}

std::string status_text(const chapter_progress& p) {
  if (p.done()) return "done";
  if (!p.checked) return "not started";
  return fmt::format("score {}/{}", p.score, p.max_score);
}

}  // namespace ipclab::cli
