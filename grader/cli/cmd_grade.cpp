// `ipclab grade SUBMISSION... --out DIR [-j N] [--format csv,gradescope,junit] [--chapters LIST]
//  [--hidden DIR] [--config FILE] [--only NAME...] [--force] [--similarity] [--fence strict|best|weaker]`:
// grades a class. Each submission is unpacked, only its files for each
// chapter are compiled, the prebuilt tests run on them in the sandbox, and
// the reports go to DIR: <name>/results.json (Gradescope), grades.csv,
// junit.xml, summary.txt (and similarity.txt). A submission whose files
// and the kit's tests are unchanged since its results.json was written is
// not graded again, so an interrupted run resumes where it stopped.
#include <atomic>
#include <chrono>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

#include <fmt/format.h>

#include "check.hpp"
#include "commands.hpp"
#include "config_names.hpp"
#include "grade_config.hpp"
#include "grade_exports.hpp"
#include "grade_feedback.hpp"
#include "grade_policy.hpp"
#include "grade_reports.hpp"
#include "grade_results.hpp"
#include "grade_runner.hpp"
#include "files.hpp"
#include "grade_submissions.hpp"
#include "fence/access.hpp"
#include "hidden_tests.hpp"
#include "process.hpp"
#include "similarity.hpp"
#include "unpack.hpp"

namespace ipclab::cli {
namespace {

struct grade_options {
  std::vector<std::string> submissions;
  std::string out;
  unsigned jobs = std::max(1u, std::thread::hardware_concurrency());
  std::string formats = "csv,gradescope,junit";
  std::string chapters = "all";
  std::string hidden;
  std::vector<std::string> only;  ///< regrade these submissions only (ids or file names)
  bool force = false;             ///< regrade even what is unchanged
  std::string config;             ///< the course's grading policy (TOML)
  std::string roster;             ///< id,name,submission
  std::string times;              ///< submission,submitted_at
  std::string metadata;           ///< Gradescope's submission_metadata.json
  std::string assignment = "ipclab";  ///< the gradebook's column
  std::string fence = "strict";
  bool similarity = false;        ///< write similarity.txt/.csv (sim_c++)
  int similarity_threshold = 60;  ///< percent
};

std::vector<std::string> split(const std::string& list) {
  std::vector<std::string> out;
  std::istringstream in(list);
  for (std::string item; std::getline(in, item, ',');)
    if (!item.empty()) out.push_back(item);
  return out;
}

/// Everything outside the submission its grade depends on.
std::uint64_t kit_fingerprint(const kit& k, const std::vector<const chapter*>& chapters,
                              const std::map<std::string, fs::path>& hidden) {
  std::uint64_t h = fnv1a(k.cxx + '\0' + k.cxx_flags);
  for (const auto& [folder, binary] : hidden) h = fnv1a(folder + slurp(binary), h);
  h = fnv1a(slurp(k.support_lib), h);
  for (const auto* c : chapters) {
    h = fnv1a(c->folder, h);
    h = fnv1a(slurp(c->test_binary), h);
    for (const auto& header : files_ending(c->dir, ".hpp")) h = fnv1a(slurp(header), h);
  }
  return h;
}

/// The report of tests whose code could not run: every test failed.
/// Obtained once per test binary by running it with no module.
class zero_reports {
 public:
  nlohmann::json of(const fs::path& binary, const std::string& folder, const fencing& f) {
    std::lock_guard guard(lock_);
    auto& r = cache_[binary];
    if (r.is_null()) {
      try {
        r = run_tests(binary, "none", folder, f);
      } catch (const std::runtime_error&) {
        r = {{"chapter", folder}, {"score", 0}, {"max_score", 0},
             {"execution_time", 0}, {"tests", nlohmann::json::array()}};
      }
    }
    return r;
  }

 private:
  std::mutex lock_;
  std::map<fs::path, nlohmann::json> cache_;
};

/// What grading one chapter needs besides the submission.
struct chapter_grading {
  const kit& k;
  zero_reports& zeros;
  const fencing& fence;                           ///< for every submission (its id apart)
  const std::map<std::string, fs::path>& hidden;  ///< hidden tests per chapter
  const grading_config& config;                   ///< per-test time limits
};

/// Every test of @p c (and its hidden tests) failed, because of @p problem,
/// which each test's output says instead of what a run without code says.
graded_chapter all_failed(const chapter_grading& how, const chapter& c, std::string problem) {
  graded_chapter g{c.folder, how.zeros.of(c.test_binary, c.folder, how.fence), std::move(problem), {}};
  if (auto h = how.hidden.find(c.folder); h != how.hidden.end())
    add_hidden_results(g.report, how.zeros.of(h->second, c.folder, how.fence));
  for (auto& t : g.report["tests"]) t["output"] = g.problem;
  g.report["output"] = g.problem;
  return g;
}

graded_chapter grade_chapter(const chapter_grading& how, const chapter& c, const staged_submission& st,
                             const fencing& f) {
  if (auto m = st.layout.missing.find(c.folder); m != st.layout.missing.end()) {
    auto g = all_failed(how, c, m->second);
    g.attempted = m->second.rfind("not submitted", 0) != 0;
    return g;
  }
  graded_chapter g{c.folder, {}, {}, {}};
  try {
    auto rep = check_chapter(how.k, c, st.tree, f, time_scale_args(how.config, c.folder, false));
    g.report = rep.results;
    if (auto h = how.hidden.find(c.folder); h != how.hidden.end())
      add_hidden_results(g.report, run_tests(h->second, rep.module, c.folder, f,
                                                   time_scale_args(how.config, c.folder, true)));
    if (!rep.compiled) {
      g.problem = "the code did not compile (the compiler's messages are in the submission's output)";
      // Paths as the student knows them: 01-pipes/pipes.cpp, not the staging folder.
      g.details = rep.compiler_output;
      std::string prefix = st.tree.string() + "/";
      for (std::size_t at; (at = g.details.find(prefix)) != std::string::npos;)
        g.details.erase(at, prefix.size());
    }
  } catch (const fence_refused&) {
    throw;  // the machine's fault, not the student's: grade no one (fail closed)
  } catch (const std::exception& e) {
    // The tests ended without a report (crashed, timed out), or a file of
    // the kit is missing: the machine's failure, to be graded again.
    g = all_failed(how, c, fmt::format("could not be graded (a failure of the grading machine, not of "
                                       "this code; it will be graded again): {}", e.what()));
    g.machine_failure = true;
  }
  return g;
}

/// What the test runs must not see: the solutions, the hidden tests, every
/// submission and every report. (The compiler and the archiver see only
/// the system and what they are given: a system-only view.)
std::vector<std::string> hidden_from_tests(const kit& k, const grade_options& o,
                                           const std::vector<submission>& subs) {
  fs::create_directories(k.binary_dir / "modules");
  std::vector<std::string> needed;  // never hidden: the kit itself and the reports
  for (const auto& p : {k.source_dir, k.binary_dir, fs::path(o.out)})
    needed.push_back(fs::weakly_canonical(p).string() + "/");
  std::vector<std::string> hidden;
  auto add = [&](const fs::path& p) {
    std::error_code ec;
    auto c = fs::canonical(p, ec);
    if (ec || !fs::is_directory(c)) return;
    for (const auto& n : needed)
      if (n.rfind(c.string() + "/", 0) == 0) return;  // p holds the kit or the reports
    hidden.push_back(c.string());
  };
  add(k.source_dir / "solutions");
  add(k.binary_dir / "modules");
  add(k.binary_dir / "hidden-tests");
  if (!o.hidden.empty()) add(o.hidden);
  for (const auto& s : subs) add(s.origin);
  hidden.push_back(fs::weakly_canonical(o.out).string());
  return hidden;
}

/// Whether a submission's user may read the kit's files the compiler needs
/// (tried behind the fence, as a user of that kind); true when not root.
bool submission_user_can_read(const kit& k, const fs::path& work) {
  uid_t id = submission_user(work);
  if (id == static_cast<uid_t>(-1)) return true;
  fence::policy p;
  p.uid = id;
  p.gid = static_cast<gid_t>(id);
  std::vector<std::string> test{"test"};
  for (const auto& f : {k.support_include, k.support_lib, k.source_dir / "chapters"})
  {
    if (test.size() > 1) test.push_back("-a");
    test.insert(test.end(), {"-r", f.string()});
  }
  return run_program(test, std::chrono::seconds(30), true, &p).exit_code == 0;
}

// The fence said once: weaker (and why), or a compiler that stays root.
void say_the_fence(const kit& k, const grade_options& o, const fencing& f, bool compile_as_root) {
  if (compile_as_root)
    fmt::print(stderr, "ipclab grade: note: the kit's files are not readable by other users, so the\n"
                       "  compiler runs as root (put the kit where others may read it, e.g. not\n"
                       "  under /root, to compile each submission as a user of its own)\n");
  if (f.choice.weaker.empty()) return;
  fmt::print(stderr, "ipclab grade: note: a weaker fence: {}\n", f.choice.weaker);
  std::vector<fs::path> secret{k.source_dir / "solutions"};
  if (!o.hidden.empty()) secret.emplace_back(o.hidden);
  for (const auto& p : secret)
    if (fs::exists(p) && (fs::status(p).permissions() & fs::perms::others_read) != fs::perms::none)
      fmt::print(stderr, "ipclab grade: note: no private mount namespace here, and {} can be read by\n"
                         "  anyone, so by a submission too: chmod -R go-rwx it before grading\n",
                 p.string());
}

/// @p text cut at a word boundary to at most @p width characters.
std::string first_words(const std::string& text, std::size_t width) {
  if (text.size() <= width) return text;
  std::size_t cut = text.rfind(' ', width);
  return text.substr(0, cut == std::string::npos || cut == 0 ? width : cut) + "...";
}

/// The submissions to grade: all, or those @p only names (by id, by file
/// name, or by file name without its extension).
std::vector<std::size_t> chosen_submissions(const std::vector<submission>& subs,
                                            const std::vector<std::string>& only) {
  std::vector<std::size_t> out;
  std::set<std::string> unmatched(only.begin(), only.end());
  for (std::size_t i = 0; i < subs.size(); ++i) {
    fs::path p = subs[i].origin.lexically_normal();
    if (p.filename().empty()) p = p.parent_path();
    std::set<std::string> names{subs[i].name, p.filename().string(), p.stem().string(),
                                submission_id(p)};
    bool named = false;
    for (const auto& n : names) named |= unmatched.erase(n) > 0 || std::count(only.begin(), only.end(), n) > 0;
    if (only.empty() || named) out.push_back(i);
  }
  if (!unmatched.empty())
    throw usage_error(fmt::format("--only: no submission named {} among those given",
                                  fmt::join(unmatched, ", ")));
  return out;
}

std::string score_text(const nlohmann::json& r) {
  return fmt::format("{}/{}", r.value("score", 0), r.value("max_score", 0));
}

/// When @p s was handed in, if anything says.
std::optional<submission_time> time_of(const submission& s, const std::map<std::string, std::time_t>& times,
                                       const std::optional<submission_time>& metadata) {
  if (metadata) return metadata;
  fs::path p = s.origin.lexically_normal();
  if (p.filename().empty()) p = p.parent_path();
  for (const auto& key : {s.name, p.filename().string()})
    if (auto t = times.find(key); t != times.end()) return submission_time{t->second, {}};
  return std::nullopt;
}

int run_grade(grade_options o) {
  kit k = kit::load();
  grading_config config;
  if (!o.config.empty()) {
    config = load_config(o.config);
    check_config_chapters(config, o.config, k);
    if (o.chapters == "all" && !config.chapters.empty()) o.chapters = fmt::format("{}", fmt::join(config.chapters, ","));
    if (o.hidden.empty() && !config.hidden.empty()) o.hidden = config.hidden.string();
  }
  std::map<std::string, std::time_t> times;
  if (!o.times.empty()) times = load_submission_times(o.times);
  std::optional<submission_time> metadata;
  if (!o.metadata.empty() && fs::exists(o.metadata)) metadata = time_from_metadata(o.metadata);
  std::vector<roster_entry> roster;
  if (!o.roster.empty()) roster = load_roster(o.roster);
  std::vector<const chapter*> chosen;
  for (const auto& name : split(o.chapters))
    for (const auto* c : k.select(name))
      if (std::find(chosen.begin(), chosen.end(), c) == chosen.end()) chosen.push_back(c);
  if (chosen.empty()) throw usage_error("--chapters names no chapter");
  std::set<std::string> formats;
  for (const auto& f : split(o.formats)) {
    if (f != "csv" && f != "gradescope" && f != "junit" && f != "canvas" && f != "moodle")
      throw usage_error(fmt::format("--format: '{}' is not one of csv, gradescope, junit, canvas, moodle", f));
    formats.insert(f);
  }
  auto subs = find_submissions(o.submissions);
  std::map<std::string, fs::path> hidden;
  if (!o.hidden.empty()) hidden = build_hidden_tests(k, chosen, o.hidden);
  if (!o.config.empty()) check_config_tests(config, o.config, chosen, hidden);
  fs::path out = fs::absolute(o.out);
  fs::create_directories(out / ".work");
  // Decided once, here, before any thread: namespaces, or a weaker fence
  // only when asked (strict refuses), said once and in every report.
  fencing fence{.choice = choose_fence(parse_fence_mode(o.fence)),
                .hidden = hidden_from_tests(k, o, subs),
                .grading = true};
  bool compile_as_root = !submission_user_can_read(k, out / ".work");
  say_the_fence(k, o, fence, compile_as_root);
  // The staged sources of the whole class: each submission's user may pass
  // through to its own folder (of its group, mode 0710); the test calls may
  // not enter any.
  fs::permissions(out / ".work", fs::perms::owner_all | fs::perms::others_exec);
  std::vector<std::string> folders;
  for (const auto* c : chosen) folders.push_back(c->folder);

  const std::uint64_t kit_fp = fnv1a(config.text, kit_fingerprint(k, chosen, hidden));
  std::map<std::string, std::vector<std::string>> hints;
  for (const auto* c : chosen) hints[c->folder] = c->hints;
  zero_reports zeros;
  const chapter_grading how{k, zeros, fence, hidden, config};
  std::atomic<bool> refused{false};
  std::string refusal;
  std::mutex refusal_lock;
  std::vector<std::size_t> todo = chosen_submissions(subs, o.only);
  std::vector<std::string> status(subs.size(), "graded");
  run_parallel(todo.size(), o.jobs, [&](std::size_t j) -> job_outcome {
    const auto& s = subs[todo[j]];
    auto start = std::chrono::steady_clock::now();
    fs::path dir = out / s.name;
    submission_info info{s.name, s.origin.lexically_normal().filename().string(), "graded", {}};
    if (info.file.empty()) info.file = s.origin.lexically_normal().parent_path().filename().string();
    std::vector<graded_chapter> graded;
    std::string fingerprint;
    auto when = time_of(s, times, metadata);
    // The grade depends on when it was handed in, too.
    const std::uint64_t seed = when ? fnv1a(fmt::format("{}/{}", when->submitted, when->due.value_or(0)), kit_fp)
                                    : kit_fp;
    const bool force = o.force || !o.only.empty();
    // Graded before, from the same content with the same kit: keep that.
    auto already_graded = [&](nlohmann::json& kept) {
      if (force || slurp(dir / ".fingerprint") != fingerprint) return false;
      try {
        kept = nlohmann::json::parse(slurp(dir / "results.json"));
        return true;
      } catch (const nlohmann::json::parse_error&) {
        return false;
      }
    };
    auto fail_all = [&](const std::string& state, const std::string& why) {
      info.status = state;
      graded.clear();
      for (const auto* c : chosen) {
        graded.push_back(all_failed(how, *c, why));
        graded.back().attempted = false;  // nothing of it was seen
      }
    };
    nlohmann::json kept;
    if (!s.unsupported.empty()) {
      fail_all("not graded", "not graded: " + s.unsupported);
    } else {
      try {
        // An archive is known by its bytes (no need to unpack it again), a
        // folder by the files staged from it.
        std::error_code ec;
        if (fs::is_regular_file(s.origin) && fs::file_size(s.origin, ec) <= (32u << 20)) {
          fingerprint = fmt::format("{:016x}\n", fnv1a(slurp(s.origin), seed));
          if (already_graded(kept)) return {s.name, "unchanged, " + score_text(kept), true};
        }
        if (refused) return {s.name, "not graded: the fence refused", true};
        fs::path work = out / ".work" / s.name;
        auto staged = stage_submission(s, work, chosen, fence.choice);
        info.notes = staged.layout.notes;
        if (fingerprint.empty()) {
          fingerprint = fmt::format("{:016x}\n", tree_fingerprint(staged.tree, seed));
          if (already_graded(kept)) return {s.name, "unchanged, " + score_text(kept), true};
        }
        fencing own = fence;
        if (!compile_as_root) own.id = submission_user(work);
        // Its user may pass through its staged tree; each chapter's files are
        // granted to it for that chapter's compile only (build_module()).
        fence::grant(work, own.id, fs::perms::owner_all | fs::perms::group_exec,
                     fs::perms::owner_read | fs::perms::owner_write);
        for (const auto* c : chosen) graded.push_back(grade_chapter(how, *c, staged, own));
        fence::revoke(work);
        if (std::any_of(graded.begin(), graded.end(), [](auto& g) { return g.machine_failure; }))
          info.status = "machine failure";
      } catch (const fence_refused& e) {
        std::lock_guard guard(refusal_lock);
        refused = true;
        refusal = e.what();
        return {s.name, "not graded: the fence refused", true};
      } catch (const unpack_error& e) {
        fail_all("could not be unpacked", fmt::format("could not be unpacked: {}", e.what()));
      } catch (const std::exception& e) {
        fail_all("machine failure", fmt::format("could not be graded (a failure of the grading machine, "
                                                "not of this submission; it will be graded again): {}",
                                                e.what()));
      }
    }
    status[todo[j]] = info.status;
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    for (auto& g : graded) apply_chapter_policy(g.report, g.folder, config);
    auto results = submission_results(info, graded, seconds);
    if (config.late && when) apply_late_policy(results, *config.late, *when);
    if (!fence.choice.weaker.empty()) {
      results["output"] = "Graded behind a weaker fence: " + fence.choice.weaker + "\n" +
                          results.value("output", "");
      results["extra_data"]["fence"] = "weaker: " + fence.choice.weaker;
    }
    std::string note;
    for (const auto& g : graded)
      if (!g.problem.empty()) note += fmt::format(", {}: {}", g.folder, first_words(g.problem, 48));
    try {
      fs::create_directories(dir);
      fs::remove(dir / ".fingerprint");  // results.json first, then what it is valid for
      write_atomically(dir / "results.json", results.dump(2, ' ', false,
                                                          nlohmann::json::error_handler_t::replace));
      // Only a grade is kept: what failed for another reason is tried again.
      write_atomically(dir / "feedback.md", feedback_md(results, hints));
      if (info.status == "graded" && !fingerprint.empty())
        write_atomically(dir / ".fingerprint", fingerprint);
    } catch (const std::exception& e) {
      note += fmt::format(", results not written: {}", e.what());
    }
    return {s.name, score_text(results) + note, false};
  });

  // The class is every submission graded into this folder, now or before.
  auto results = load_results(out);
  for (const auto& r : results) {
    const auto per_chapter = r["extra_data"].value("chapters", nlohmann::json::object());
    for (const auto& [folder, _] : per_chapter.items())
      if (std::find(folders.begin(), folders.end(), folder) == folders.end()) folders.push_back(folder);
  }
  std::sort(folders.begin(), folders.end());
  if (refused) throw fence_refused(refusal + "\nnothing more was graded");
  if (formats.count("csv")) write_atomically(out / "grades.csv", grades_csv(results, folders));
  if (formats.count("junit")) write_atomically(out / "junit.xml", junit_xml(results));
  std::string summary = class_summary(results, folders);
  if (!fence.choice.weaker.empty()) summary = "fence: weaker: " + fence.choice.weaker + "\n" + summary;
  write_atomically(out / "summary.txt", summary);
  if (formats.count("canvas")) write_atomically(out / "canvas.csv", canvas_csv(results, roster, o.assignment));
  if (formats.count("moodle")) write_atomically(out / "moodle.csv", moodle_csv(results, roster, o.assignment));
  fmt::print("graded {} submission{} ({} in the class): {}/summary.txt{}{}\n", todo.size(),
             todo.size() == 1 ? "" : "s", results.size(), out.string(),
             formats.count("csv") ? ", grades.csv" : "", formats.count("junit") ? ", junit.xml" : "");
  if (o.similarity) fmt::print("{}\n", write_similarity_report(k, out, folders, o.similarity_threshold));
  std::size_t failed = 0;
  for (std::size_t i : todo)
    if (status[i] != "graded") {
      fmt::print(stderr, "ipclab grade: {}: {}\n", subs[i].name, status[i]);
      ++failed;
    }
  if (failed == 0) return all_passed;
  fmt::print(stderr, "ipclab grade: {} submission{} could not be graded (see 'Needs attention' in "
                     "summary.txt)\n", failed, failed == 1 ? "" : "s");
  return some_failed;
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
  sub->add_option("--format", o->formats,
                  "reports besides summary.txt and each feedback.md: csv,gradescope,junit,canvas,moodle");
  sub->add_option("--config", o->config,
                  "the course's grading policy (TOML): chapters, hidden tests, points and visibility\n"
                  "per chapter or test, per-test time limits, late policy (see README, 'Instructors')");
  sub->add_option("--roster", o->roster, "a CSV 'id,name,submission' naming the students in canvas/moodle");
  sub->add_option("--times", o->times, "a CSV 'submission,submitted_at' (ISO 8601) for the late policy");
  sub->add_option("--metadata", o->metadata, "Gradescope's submission_metadata.json (for the late policy)");
  sub->add_option("--assignment", o->assignment, "the gradebook column's name (default: ipclab)");
  sub->add_option("--chapters", o->chapters, "chapters to grade, comma-separated (default: all)");
  sub->add_option("--hidden", o->hidden,
                  "a folder of hidden tests: DIR/<chapter folder>/*.cpp, Catch2 tests like the\n"
                  "chapter's own, scored with them and reported with visibility after_due_date");
  sub->add_option("--only", o->only,
                  "regrade only these submissions (ids or file names) among those given; the\n"
                  "others' reports in --out are kept")
      ->expected(1, -1)
      ->delimiter(',');
  sub->add_flag("--similarity", o->similarity,
                "also compare the class's sources per chapter with sim_c++ (package\n"
                "similarity-tester), the fill-in's starter code taken out: similarity.txt, .csv");
  sub->add_option("--similarity-threshold", o->similarity_threshold,
                  "the percentage from which a pair is reported (default: 60)")
      ->check(CLI::Range(1, 100));
  sub->add_flag("--force", o->force, "regrade every submission, even those unchanged since last time");
  sub->add_option("--fence", o->fence,
                  "strict (default): namespaces or refuse; best: namespaces where the kernel allows\n"
                  "them, else a weaker fence; weaker: never namespaces. A weaker fence is stated in\n"
                  "every report");
  sub->footer("Each submission's results.json (Gradescope's shape) is always written; a grade is\n"
              "kept (and not redone when nothing changed) only when the submission was graded:\n"
              "failures of the machine are retried. The class reports cover every submission\n"
              "graded into --out. Exit: 0 all graded, 1 some could not be (summary.txt lists them\n"
              "under 'Needs attention'), 2 bad usage.");
  sub->callback([&cmds, o] { cmds.selected = [o] { return run_grade(*o); }; });
}

}  // namespace ipclab::cli
