// From Doxygen markdown to text a terminal shows well.
#include "notes.hpp"

#include <fstream>
#include <regex>
#include <sstream>
#include <vector>

#include <fmt/color.h>
#include <fmt/format.h>

#include "diagram.hpp"

namespace ipclab::cli {
namespace {

std::vector<std::string> lines_of(const fs::path& file) {
  std::ifstream in(file);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::string trimmed(const std::string& s) {
  auto b = s.find_first_not_of(" \t");
  auto e = s.find_last_not_of(" \t\r");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

/// The lines between the two `//! [name]` markers, with their common indent removed.
std::vector<std::string> snippet(const std::vector<std::string>& source, const std::string& name) {
  const std::string marker = "//! [" + name + "]";
  std::vector<std::string> body;
  bool inside = false, closed = false;
  for (const auto& line : source) {
    if (trimmed(line) == marker) {
      if (inside) {
        closed = true;
        break;
      }
      inside = true;
    } else if (inside) {
      body.push_back(line);
    }
  }
  if (!closed) return {};
  std::size_t indent = std::string::npos;
  for (const auto& l : body)
    if (!trimmed(l).empty()) indent = std::min(indent, l.find_first_not_of(" \t"));
  for (auto& l : body) l = l.size() > indent ? l.substr(indent) : trimmed(l);
  return body;
}

/// A diagram's text drawing, indented; a pointer to the site when it cannot be drawn.
std::string drawn(const std::string& dot, const text_canvas& canvas) {
  std::string picture = diagram_as_text(dot, canvas);
  if (picture.empty())
    return "    [a diagram is here: graph-easy (Debian package libgraph-easy-perl) draws it in the\n"
           "     terminal, `./ipclab docs` shows it on the site]\n";
  std::string out;
  std::istringstream lines(picture);
  for (std::string l; std::getline(lines, l);) out += l.empty() ? "\n" : "    " + l + "\n";
  return out;
}

}  // namespace

std::string notes_for_terminal(const chapter& c, bool colour, const fs::path& cache) {
  static const std::regex label(R"(\s*\{#[A-Za-z0-9_:-]+\}\s*$)");
  static const std::regex ref(R"([\\@]ref\s+\S+\s+\"([^\"]*)\"|[\\@]ref\s+(\S+))");
  static const std::regex snippet_cmd(R"(^\s*[\\@]snippet\s+(\S+)\s+(\S+)\s*$)");
  const auto demo = lines_of(c.dir / "demo.cpp");
  text_canvas canvas = terminal_canvas();
  canvas.cache = cache;
  std::string out, dot;
  bool in_dot = false;
  for (auto line : lines_of(c.dir / "README.md")) {
    std::string t = trimmed(line);
    if (in_dot) {
      in_dot = t.rfind("\\enddot", 0) != 0 && t.rfind("@enddot", 0) != 0;
      if (in_dot) dot += line + "\n";
      else out += drawn(dot, canvas);
      continue;
    }
    if (t.rfind("\\dot", 0) == 0 || t.rfind("@dot", 0) == 0) {
      in_dot = true;
      dot.clear();
      continue;
    }
    std::smatch m;
    if (std::regex_match(line, m, snippet_cmd)) {
      auto code = snippet(demo, m[2]);
      if (code.empty())
        out += fmt::format("    [the code '{}' of {} is missing: see chapters/{}/demo.cpp]\n",
                           m[2].str(), m[1].str(), c.folder);
      for (const auto& l : code) out += "    " + l + "\n";
      continue;
    }
    line = std::regex_replace(line, ref, "$1$2");
    if (t.rfind('#', 0) == 0) {
      line = std::regex_replace(line, label, "");
      if (colour) line = fmt::format(fmt::emphasis::bold, "{}", line);
    }
    out += line + "\n";
  }
  return out;
}

}  // namespace ipclab::cli
