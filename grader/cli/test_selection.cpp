// Choosing tests by number or name: the test runner lists them, we pick.
#include "test_selection.hpp"

#include <algorithm>
#include <cctype>
#include <sstream>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "process.hpp"

namespace ipclab::cli {
std::vector<std::string> test_names(const fs::path& binary) {
  auto run = run_program({binary.string(), "--list-test-names-only"}, std::chrono::seconds(60));
  std::vector<std::string> names;
  std::istringstream in(run.out);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) names.push_back(line);
  return names;
}

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// A test spec naming exactly one test: Catch2 reads , [ ] ~ * " and \ as syntax.
std::string exact_spec(const std::string& name) {
  std::string out;
  for (char c : name) {
    if (std::string_view(",[]~*\"\\").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

bool is_number(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

// The names of @p names that @p pattern selects (all when it is empty), in order.
std::vector<std::string> matching(const std::vector<std::string>& names, const std::string& pattern) {
  std::string want = lower(pattern);
  std::vector<std::string> out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    bool by_number = is_number(pattern) && std::stoul(pattern) == i + 1;
    if (by_number || lower(names[i]).find(want) != std::string::npos) out.push_back(names[i]);
  }
  if (out.empty()) {
    std::string listing;
    for (std::size_t i = 0; i < names.size(); ++i) listing += fmt::format("\n  {:>2}  {}", i + 1, names[i]);
    throw usage_error(fmt::format("no test matches '{}' (give a number or part of a name). The tests are:{}",
                                  pattern, listing));
  }
  return out;
}

// One argument naming exactly @p names: Catch2 ANDs separate ones, ORs a,b.
std::string spec_of(const std::vector<std::string>& names) {
  std::string spec;
  for (const auto& n : names) spec += (spec.empty() ? "" : ",") + exact_spec(n);
  return spec;
}

}  // namespace

void add_test_selection(CLI::App& sub, test_selection& only) {
  sub.add_option("--test", only.pattern,
                 "run only the test numbered PATTERN, or those whose name contains it");
  sub.add_flag("--fail-fast", only.fail_fast, "stop at the first test that fails");
}

std::vector<std::string> test_args(const fs::path& binary, const test_selection& s) {
  std::vector<std::string> args;
  if (s.fail_fast) args.push_back("--abort");
  if (s.pattern.empty()) return args;
  args.push_back(spec_of(matching(test_names(binary), s.pattern)));
  return args;
}

std::vector<std::vector<std::string>> shard_args(const fs::path& binary, const test_selection& s,
                                                 unsigned shards) {
  if (shards < 2 || s.fail_fast) return {test_args(binary, s)};
  auto selected = matching(test_names(binary), s.pattern);
  std::vector<std::vector<std::string>> parts(std::min<std::size_t>(shards, selected.size()));
  for (std::size_t i = 0; i < selected.size(); ++i) parts[i % parts.size()].push_back(selected[i]);
  std::vector<std::vector<std::string>> args;
  for (const auto& p : parts) args.push_back({spec_of(p)});
  return args;
}

}  // namespace ipclab::cli
