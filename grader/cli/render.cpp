// Human-readable check reports.
#include "render.hpp"

#include "hints.hpp"

#include <unistd.h>

#include <cstdlib>
#include <sstream>

#include <fmt/color.h>
#include <fmt/format.h>

namespace ipclab::cli {
namespace {

// Each line of @p text after @p pad. Markdown fences (```) around a
// drawing are for reports; a terminal shows the drawing alone.
std::string indent(const std::string& text, const std::string& pad) {
  std::istringstream in(text);
  std::string out;
  for (std::string line; std::getline(in, line);)
    if (line.rfind("```", 0) != 0) out += pad + line + "\n";
  return out;
}

// "not attempted: run_pipeline still fails..." -> "run_pipeline"
std::string needed_functions(const std::string& output) {
  auto from = output.find(": "), to = output.find(" still fails");
  return from == std::string::npos || to == std::string::npos ? "" : output.substr(from + 2, to - from - 2);
}

}  // namespace

std::string paint(const std::string& text, fmt::text_style style) {
  return use_colour() ? fmt::format(style, "{}", text) : text;
}

bool use_colour() {
  static const bool on = ::isatty(STDOUT_FILENO) && std::getenv("NO_COLOR") == nullptr;
  return on;
}

void print_report(const chapter& c, const chapter_report& r) {
  const auto& j = r.results;
  fmt::print("{}\n", paint(fmt::format("{:02} {} — {}", c.number, c.slug, c.title),
                           fmt::emphasis::bold));
  if (!r.compiled) {
    fmt::print("{}\n{}\n", paint("  your code did not compile:", fg(fmt::color::red)),
               indent(r.compiler_output, "    "));
  } else if (!r.compiler_output.empty()) {
    fmt::print("  the compiler warns:\n{}\n", indent(r.compiler_output, "    "));
  }
  bool hinted = false;  // the first failure a hint fits says so
  if (r.compiled && j.contains("unwritten"))
    fmt::print("  {}\n", paint(j.value("output", ""), fg(fmt::color::yellow)));
  for (const auto& t : j.value("tests", nlohmann::json::array())) {
    if (t.value("not_attempted", false)) {
      std::string output = t.value("output", "");
      fmt::print("  {} {} ({}/{}), needs {}\n", paint("TODO", fmt::emphasis::faint), t.value("name", "?"),
                 t.value("score", 0), t.value("max_score", 0), needed_functions(output));
      if (auto also = output.find('\n'); also != std::string::npos)
        fmt::print("{}", indent(output.substr(also + 1), "         "));
      continue;
    }
    bool passed = t.value("status", "") == "passed";
    std::string mark = passed ? paint("PASS", fg(fmt::color::green)) : paint("FAIL", fg(fmt::color::red));
    fmt::print("  {} {} ({}/{})\n", mark, t.value("name", "?"), t.value("score", 0),
               t.value("max_score", 0));
    if (r.compiled) fmt::print("{}", indent(t.value("output", ""), "         "));  // a pass may carry a note
    if (!passed && r.compiled && !hinted && first_fitting_hint(c, as_failed_test(t))) {
      hinted = true;
      fmt::print("         {}\n", paint("a hint fits this failure: ./ipclab hint " + c.slug, fmt::emphasis::bold));
    }
  }
  int score = j.value("score", 0), max = j.value("max_score", 0);
  auto style = score == max ? fg(fmt::color::green) : fg(fmt::color::yellow);
  std::string of_what;
  if (j.value("partial", false))
    of_what = fmt::format(" (a partial run: {} of the chapter's {} tests)", j.value("tests", nlohmann::json::array()).size(),
                          j.value("tests_total", 0));
  fmt::print("  {}{}\n\n", paint(fmt::format("score {}/{}", score, max), style | fmt::emphasis::bold),
             of_what);
}

void print_chapters(const kit& k, const progress& p) {
  for (const auto& c : k.chapters) {
    auto entry = p.of(c);
    auto style = entry.done() ? fg(fmt::color::green)
                 : entry.checked ? fg(fmt::color::yellow) : fmt::text_style{};
    fmt::print("  {:02}  {:<12} {:<32} APUE {:<10} {}\n", c.number, c.slug, c.title, c.apue,
               paint(status_text(entry), style));
  }
}

}  // namespace ipclab::cli
