// Building an instructor's hidden tests against the kit's harness.
#include "hidden_tests.hpp"

#include <unistd.h>

#include <fmt/format.h>

#include "files.hpp"
#include "process.hpp"

namespace ipclab::cli {
namespace {

fs::path build_one(const kit& k, const chapter& c, const std::vector<fs::path>& sources) {
  std::uint64_t h = fnv1a(k.cxx + c.folder + slurp(k.harness_lib) + slurp(k.support_lib));
  for (const auto& s : sources) h = fnv1a(s.filename().string() + slurp(s), h);
  for (const auto& header : files_ending(c.dir, ".hpp")) h = fnv1a(slurp(header), h);
  fs::path out = k.binary_dir / "hidden-tests" / fmt::format("{:016x}", h);
  fs::path binary = out / ("test-" + c.slug);
  if (fs::exists(binary)) return binary;

  fs::create_directories(out);
  // Root's alone: neither a submission's compiler nor its test calls may read it.
  fs::permissions(k.binary_dir / "hidden-tests", fs::perms::owner_all);
  fs::path name_file = out / "chapter_name.cpp";
  write_atomically(name_file, fmt::format("namespace ipclab::sandbox {{\nextern const char* const "
                                          "chapter_name;\nconst char* const chapter_name = \"{}\";\n}}\n",
                                          c.folder));
  fs::path partial = out / fmt::format("test-{}.{}.part", c.slug, ::getpid());
  std::vector<std::string> argv{k.cxx, "-std=c++20", "-O1", "-g", "-pthread", "-fmax-errors=20",
                                "-I" + c.dir.string(), "-I" + k.harness_include.string(),
                                "-I" + k.support_include.string(), "-o", partial.string()};
  // A Gradescope bundle's own Catch2, where the image has none of version 2.
  if (fs::path vendor = k.source_dir / "vendor" / "include"; fs::exists(vendor / "catch2" / "catch.hpp"))
    argv.insert(argv.end() - 2, "-I" + vendor.string());
  for (const auto& s : sources) argv.push_back(s.string());
  argv.insert(argv.end(), {name_file.string(), "-Wl,--whole-archive", k.harness_lib.string(),
                           "-Wl,--no-whole-archive", k.support_lib.string(), "-ldl"});
  fmt::print(stderr, "ipclab grade: building the hidden tests of {}...\n", c.folder);
  auto r = run_program(argv, std::chrono::seconds(600), true);
  if (r.exit_code != 0) {
    fs::remove(partial);
    throw std::runtime_error(
        fmt::format("the hidden tests of {} do not compile:\n{}", c.folder, r.out.substr(0, 16384)));
  }
  fs::rename(partial, binary);
  return binary;
}

}  // namespace

std::map<std::string, fs::path> build_hidden_tests(const kit& k,
                                                   const std::vector<const chapter*>& chapters,
                                                   const fs::path& dir) {
  if (!fs::is_directory(dir))
    throw usage_error(fmt::format("--hidden {}: no such folder", dir.string()));
  if (k.harness_lib.empty())
    throw usage_error("--hidden: this build of the kit has no harness archive; re-run cmake");
  std::map<std::string, fs::path> out;
  for (const auto* c : chapters)
    if (auto sources = files_ending(dir / c->folder, ".cpp"); !sources.empty())
      out[c->folder] = build_one(k, *c, sources);
  if (out.empty())
    throw usage_error(fmt::format(
        "--hidden {}: no chapter folder with tests in it (expected e.g. {}/{}/test_more.cpp)",
        dir.string(), dir.string(), chapters.front()->folder));
  return out;
}

void add_hidden_results(nlohmann::json& report, const nlohmann::json& hidden) {
  auto& tests = report["tests"];
  if (!tests.is_array()) tests = nlohmann::json::array();
  for (auto t : hidden.value("tests", nlohmann::json::array())) {
    t["name"] = "[hidden] " + t.value("name", "");
    t["number"] = fmt::format("h{}", t.value("number", ""));
    t["visibility"] = "after_due_date";
    tests.push_back(t);
  }
  report["score"] = report.value("score", 0) + hidden.value("score", 0);
  report["max_score"] = report.value("max_score", 0) + hidden.value("max_score", 0);
}

}  // namespace ipclab::cli
