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
  auto names = test_names(binary);
  std::string want = lower(s.pattern);
  std::string spec, listing;  // one argument: Catch2 ANDs separate ones, ORs a,b
  for (std::size_t i = 0; i < names.size(); ++i) {
    bool by_number = is_number(s.pattern) && std::stoul(s.pattern) == i + 1;
    if (by_number || lower(names[i]).find(want) != std::string::npos)
      spec += (spec.empty() ? "" : ",") + exact_spec(names[i]);
    listing += fmt::format("\n  {:>2}  {}", i + 1, names[i]);
  }
  if (spec.empty())
    throw usage_error(fmt::format("no test matches '{}' (give a number or part of a name). The tests are:{}",
                                  s.pattern, listing));
  args.push_back(spec);
  return args;
}

}  // namespace ipclab::cli
