// Tying hints to tests by tag, and remembering the last check's failures.
#include "hints.hpp"

#include <algorithm>
#include <fstream>
#include <regex>

#include "progress.hpp"

namespace ipclab::cli {
namespace {

fs::path memory_of(const kit& k, const chapter& c) {
  return state_dir(k) / ("last-check-" + c.folder + ".json");
}

nlohmann::json read_memory(const kit& k, const chapter& c) {
  std::ifstream in(memory_of(k, c));
  if (!in) return nlohmann::json::object();
  auto j = nlohmann::json::parse(in, nullptr, false);
  return j.is_object() ? j : nlohmann::json::object();
}

/// Writes @p j as the memory of @p c: a temporary file renamed over it.
void write_memory(const kit& k, const chapter& c, const nlohmann::json& j) {
  std::error_code ec;
  fs::create_directories(state_dir(k), ec);
  const fs::path file = memory_of(k, c), part = file.string() + ".part";
  {
    std::ofstream out(part);
    out << j.dump(2) << "\n";
    if (!out) return;  // hints still come without it, in list order
  }
  fs::rename(part, file, ec);
}

}  // namespace

hint parse_hint(const std::string& raw) {
  static const std::regex leading_tag(R"(^\s*\[([A-Za-z0-9_.:-]+)\])");
  hint h;
  std::string rest = raw;
  for (std::smatch m; std::regex_search(rest, m, leading_tag);) {
    h.tags.push_back(m[1]);
    rest = m.suffix();
  }
  auto begin = rest.find_first_not_of(' ');
  h.text = begin == std::string::npos ? "" : rest.substr(begin);
  return h;
}

bool fits(const hint& h, const failed_test& t) {
  return std::any_of(h.tags.begin(), h.tags.end(), [&](const std::string& tag) {
    return std::find(t.tags.begin(), t.tags.end(), tag) != t.tags.end();
  });
}

std::optional<std::size_t> first_fitting_hint(const chapter& c, const failed_test& t) {
  for (std::size_t i = 0; i < c.hints.size(); ++i)
    if (fits(parse_hint(c.hints[i]), t)) return i;
  return std::nullopt;
}

failed_test as_failed_test(const nlohmann::json& test) {
  failed_test t{test.value("name", ""), {}};
  for (const auto& tag : test.value("tags", nlohmann::json::array()))
    if (tag.is_string()) t.tags.push_back(tag.get<std::string>());
  return t;
}

void remember_failures(const kit& k, const chapter& c, const chapter_report& r) {
  nlohmann::json failed = nlohmann::json::array();
  for (const auto& t : r.results.value("tests", nlohmann::json::array()))
    if (t.value("status", "") != "passed")
      failed.push_back({{"name", t.value("name", "")}, {"tags", t.value("tags", nlohmann::json::array())}});
  write_memory(k, c, {{"failed", failed}, {"given", nlohmann::json::array()}});
}

std::vector<failed_test> remembered_failures(const kit& k, const chapter& c) {
  std::vector<failed_test> out;
  for (const auto& t : read_memory(k, c).value("failed", nlohmann::json::array())) out.push_back(as_failed_test(t));
  return out;
}

std::vector<std::size_t> hints_given(const kit& k, const chapter& c) {
  std::vector<std::size_t> out;
  for (const auto& i : read_memory(k, c).value("given", nlohmann::json::array()))
    if (i.is_number_unsigned()) out.push_back(i.get<std::size_t>());
  return out;
}

void remember_hint_given(const kit& k, const chapter& c, std::size_t index) {
  auto j = read_memory(k, c);
  if (!j.contains("failed")) return;
  j["given"].push_back(index);
  write_memory(k, c, j);
}

void forget_hints_given(const kit& k, const chapter& c) {
  auto j = read_memory(k, c);
  if (!j.contains("failed")) return;
  j["given"] = nlohmann::json::array();
  write_memory(k, c, j);
}

}  // namespace ipclab::cli
