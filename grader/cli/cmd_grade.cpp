// `ipclab grade SUBMISSION... --out DIR [-j N] [--format csv,gradescope,junit] [--chapters LIST]`:
// grades a class. Each submission is unpacked, only its files for each
// chapter are compiled, the prebuilt tests run on them in the sandbox, and
// the reports go to DIR: <name>/results.json (Gradescope), grades.csv,
// junit.xml, summary.txt. A submission whose files and the kit's tests are
// unchanged since its results.json was written is not graded again, so an
// interrupted run resumes where it stopped.
#include <chrono>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include <fmt/format.h>

#include "check.hpp"
#include "commands.hpp"
#include "grade_reports.hpp"
#include "grade_results.hpp"
#include "grade_runner.hpp"
#include "files.hpp"
#include "grade_submissions.hpp"
#include "process.hpp"

namespace ipclab::cli {
namespace {

struct grade_options {
  std::vector<std::string> submissions;
  std::string out;
  unsigned jobs = std::max(1u, std::thread::hardware_concurrency());
  std::string formats = "csv,gradescope,junit";
  std::string chapters = "all";
  std::string hidden;
};

std::vector<std::string> split(const std::string& list) {
  std::vector<std::string> out;
  std::istringstream in(list);
  for (std::string item; std::getline(in, item, ',');)
    if (!item.empty()) out.push_back(item);
  return out;
}

/// Everything outside the submission its grade depends on.
std::uint64_t kit_fingerprint(const kit& k, const std::vector<const chapter*>& chapters) {
  std::uint64_t h = fnv1a(k.cxx + '\0' + k.cxx_flags);
  h = fnv1a(slurp(k.support_lib), h);
  for (const auto* c : chapters) {
    h = fnv1a(c->folder, h);
    h = fnv1a(slurp(c->test_binary), h);
    for (const auto& e : fs::directory_iterator(c->dir))
      if (e.path().extension() == ".hpp") h = fnv1a(slurp(e.path()), h);
  }
  return h;
}

/// The report of a chapter whose code could not run: every test failed.
/// Obtained once per chapter by running its tests with no module.
class zero_reports {
 public:
  nlohmann::json of(const chapter& c) {
    std::lock_guard guard(lock_);
    auto& r = cache_[c.folder];
    if (r.is_null()) {
      auto run = run_program({c.test_binary.string(), "--module", "none", "--reporter", "ipclab"},
                             std::chrono::seconds(600));
      try {
        r = nlohmann::json::parse(run.out);
      } catch (const nlohmann::json::parse_error&) {
        r = {{"chapter", c.folder}, {"score", 0}, {"max_score", 0},
             {"execution_time", 0}, {"tests", nlohmann::json::array()}};
      }
    }
    return r;
  }

 private:
  std::mutex lock_;
  std::map<std::string, nlohmann::json> cache_;
};

graded_chapter grade_chapter(const kit& k, const chapter& c, const fs::path& tree,
                             zero_reports& zeros) {
  graded_chapter g{c.folder, {}, {}, {}};
  try {
    if (!fs::is_directory(tree / c.folder)) {
      g.report = zeros.of(c);
      g.problem = fmt::format("no folder {}/ (nor its files {}) in the submission", c.folder,
                              fmt::join(c.files, ", "));
      return g;
    }
    auto rep = check_chapter(k, c, tree);
    g.report = rep.results;
    if (!rep.compiled) {
      g.problem = "the code did not compile (the compiler's messages are in the submission's output)";
      // Paths as the student knows them: 01-pipes/pipes.cpp, not the staging folder.
      g.details = rep.compiler_output;
      std::string prefix = tree.string() + "/";
      for (std::size_t at; (at = g.details.find(prefix)) != std::string::npos;)
        g.details.erase(at, prefix.size());
    }
  } catch (const std::exception& e) {
    g.report = zeros.of(c);
    g.problem = fmt::format("could not be graded: {}", e.what());
  }
  return g;
}

std::string score_text(const nlohmann::json& r) {
  return fmt::format("{}/{}", r.value("score", 0), r.value("max_score", 0));
}

int run_grade(const grade_options& o) {
  if (!o.hidden.empty())
    throw usage_error("--hidden: hidden tests are not supported by this version of the kit yet");
  kit k = kit::load();
  std::vector<const chapter*> chosen;
  for (const auto& name : split(o.chapters))
    for (const auto* c : k.select(name))
      if (std::find(chosen.begin(), chosen.end(), c) == chosen.end()) chosen.push_back(c);
  if (chosen.empty()) throw usage_error("--chapters names no chapter");
  std::set<std::string> formats;
  for (const auto& f : split(o.formats)) {
    if (f != "csv" && f != "gradescope" && f != "junit")
      throw usage_error(fmt::format("--format: '{}' is not one of csv, gradescope, junit", f));
    formats.insert(f);
  }
  auto subs = find_submissions(o.submissions);
  fs::path out = fs::absolute(o.out);
  fs::create_directories(out / ".work");
  // The staged sources of the whole class: not for the sandbox's user to read.
  fs::permissions(out / ".work", fs::perms::owner_all);
  std::vector<std::string> folders;
  for (const auto* c : chosen) folders.push_back(c->folder);

  const std::uint64_t kit_fp = kit_fingerprint(k, chosen);
  zero_reports zeros;
  std::vector<nlohmann::json> results(subs.size());
  run_parallel(subs.size(), o.jobs, [&](std::size_t i) -> job_outcome {
    const auto& s = subs[i];
    auto start = std::chrono::steady_clock::now();
    fs::path dir = out / s.name;
    std::vector<graded_chapter> graded;
    std::string fingerprint;
    try {
      fs::path tree = stage_submission(s, out / ".work" / s.name, chosen);
      fingerprint = fmt::format("{:016x}\n", tree_fingerprint(tree, kit_fp));
      if (slurp(dir / ".fingerprint") == fingerprint) {
        try {
          results[i] = nlohmann::json::parse(slurp(dir / "results.json"));
          return {s.name, "unchanged, " + score_text(results[i]), true};
        } catch (const nlohmann::json::parse_error&) {
        }
      }
      for (const auto* c : chosen) graded.push_back(grade_chapter(k, *c, tree, zeros));
    } catch (const std::exception& e) {
      graded.clear();
      for (const auto* c : chosen)
        graded.push_back({c->folder, zeros.of(*c), fmt::format("not graded: {}", e.what()), {}});
    }
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    results[i] = submission_results(s.name, graded, seconds);
    std::string note;
    for (const auto& g : graded)
      if (!g.problem.empty()) note += fmt::format(", {}: {}", g.folder, g.problem.substr(0, 40));
    try {
      fs::create_directories(dir);
      fs::remove(dir / ".fingerprint");  // results.json first, then what it is valid for
      write_atomically(dir / "results.json", results[i].dump(2, ' ', false,
                                                             nlohmann::json::error_handler_t::replace));
      if (!fingerprint.empty()) write_atomically(dir / ".fingerprint", fingerprint);
    } catch (const std::exception& e) {
      note += fmt::format(", results not written: {}", e.what());
    }
    return {s.name, score_text(results[i]) + note, false};
  });

  if (formats.count("csv")) write_atomically(out / "grades.csv", grades_csv(results, folders));
  if (formats.count("junit")) write_atomically(out / "junit.xml", junit_xml(results));
  write_atomically(out / "summary.txt", class_summary(results, folders));
  fmt::print("graded {} submission{}: {}/summary.txt{}{}\n", subs.size(), subs.size() == 1 ? "" : "s",
             out.string(), formats.count("csv") ? ", grades.csv" : "",
             formats.count("junit") ? ", junit.xml" : "");
  return all_passed;
}

}  // namespace

void add_grade(CLI::App& app, commands& cmds) {
  auto o = std::make_shared<grade_options>();
  auto* sub = app.add_subcommand("grade", "grade many submissions into CSV, Gradescope JSON and JUnit");
  sub->add_option("submission", o->submissions,
                  "a folder holding exercises/ (or the tree itself), or a .zip/.tar.gz of one")
      ->required();
  sub->add_option("--out", o->out, "the folder receiving the reports")->required();
  sub->add_option("-j,--jobs", o->jobs, "submissions graded at once (default: the number of cores)")
      ->check(CLI::PositiveNumber);
  sub->add_option("--format", o->formats, "reports besides summary.txt: csv,gradescope,junit");
  sub->add_option("--chapters", o->chapters, "chapters to grade, comma-separated (default: all)");
  sub->add_option("--hidden", o->hidden, "hidden tests (not supported yet)");
  sub->footer("Each submission's results.json (Gradescope's shape) is always written: it is how\n"
              "a re-run knows what is already graded.");
  sub->callback([&cmds, o] { cmds.selected = [o] { return run_grade(*o); }; });
}

}  // namespace ipclab::cli
