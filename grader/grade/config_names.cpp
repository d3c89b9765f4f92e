// Names in a grading config checked against the kit's chapters and tests.
#include "config_names.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "test_selection.hpp"

namespace ipclab::cli {
namespace {

std::size_t edits(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                  std::tolower(static_cast<unsigned char>(b[j - 1]));
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (same ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

usage_error not_found(const fs::path& file, const std::string& what, const std::string& name,
                      const std::vector<std::string>& known) {
  std::string closest = closest_name(name, known);
  return usage_error(fmt::format("--config {}: {} '{}' does not exist{}", file.string(), what, name,
                                 closest.empty() ? "" : fmt::format(" (closest: '{}')", closest)));
}

}  // namespace

std::string closest_name(const std::string& name, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t fewest = std::string::npos;
  for (const auto& c : candidates)
    if (auto n = edits(name, c); n < fewest) {
      fewest = n;
      best = c;
    }
  return best;
}

void check_config_chapters(const grading_config& config, const fs::path& file, const kit& k) {
  std::vector<std::string> folders;
  for (const auto& c : k.chapters) folders.push_back(c.folder);
  for (const auto& name : config.chapters) {
    bool known = std::any_of(k.chapters.begin(), k.chapters.end(), [&](const chapter& c) {
      return name == c.folder || name == c.slug || name == std::to_string(c.number) ||
             name == fmt::format("{:02}", c.number);
    });
    if (!known) throw not_found(file, "the chapter in chapters", name, folders);
  }
  auto folder_keys = [&](const std::string& table, const auto& map) {
    for (const auto& [folder, _] : map)
      if (std::find(folders.begin(), folders.end(), folder) == folders.end())
        throw not_found(file, fmt::format("the chapter [{}].", table), folder, folders);
  };
  folder_keys("points", config.points);
  folder_keys("visibility", config.visibility);
  folder_keys("tests", config.tests);
}

void check_config_tests(const grading_config& config, const fs::path& file,
                        const std::vector<const chapter*>& graded,
                        const std::map<std::string, fs::path>& hidden) {
  for (const auto* c : graded) {
    auto per_test = config.tests.find(c->folder);
    if (per_test == config.tests.end()) continue;
    std::vector<std::string> names = test_names(c->test_binary);
    if (auto h = hidden.find(c->folder); h != hidden.end())
      for (const auto& n : test_names(h->second)) names.push_back("[hidden] " + n);
    for (const auto& [name, _] : per_test->second)
      if (std::find(names.begin(), names.end(), name) == names.end())
        throw not_found(file, fmt::format("the test [tests.\"{}\"].", c->folder), name, names);
  }
}

}  // namespace ipclab::cli
