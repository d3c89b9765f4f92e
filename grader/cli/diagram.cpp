// Drawing a notes diagram as text: graph-easy lays out the same dot source as the site.
#include "diagram.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <regex>
#include <sstream>
#include <vector>

#include <fmt/format.h>

#include "ipclab/check.hpp"
#include "ipclab/io.hpp"
#include "ipclab/unique_fd.hpp"
#include "process.hpp"

namespace ipclab::cli {
namespace {

namespace fs = std::filesystem;

/// The nodes declared (`name [...]`) in the statements of @p body, a
/// subgraph's text, in order.
std::vector<std::string> declared_nodes(const std::string& body) {
  static const std::regex declaration(R"(^\s*([A-Za-z_][A-Za-z0-9_]*)\s*\[)");
  std::vector<std::string> nodes;
  std::string statement;
  bool quoted = false;
  auto finish = [&] {
    std::smatch m;
    if (std::regex_search(statement, m, declaration) && statement.find("->") == std::string::npos &&
        m[1] != "node" && m[1] != "edge" && m[1] != "graph")
      nodes.push_back(m[1]);
    statement.clear();
  };
  for (std::size_t i = 0; i < body.size(); ++i) {
    char ch = body[i];
    if (ch == '"' && (i == 0 || body[i - 1] != '\\')) quoted = !quoted;
    if (!quoted && (ch == ';' || ch == '\n')) finish();
    else statement += ch;
  }
  finish();
  return nodes;
}

/// The nodes of each cluster without inner edges chained by invisible
/// edges, so that graph-easy keeps the cluster in one box (it splits a
/// cluster whose nodes are not linked).
std::string clusters_kept_whole(const std::string& dot) {
  std::string out;
  bool quoted = false;
  int depth = 0;
  std::size_t body = std::string::npos;  // where the open cluster's text starts
  for (std::size_t i = 0; i < dot.size(); ++i) {
    char ch = dot[i];
    if (ch == '"' && (i == 0 || dot[i - 1] != '\\')) quoted = !quoted;
    if (!quoted && ch == '{') {
      ++depth;
      if (depth == 2 && out.rfind("subgraph") != std::string::npos) body = out.size() + 1;
    }
    if (!quoted && ch == '}') {
      // A cluster with edges inside is held together by them already.
      if (depth == 2 && body != std::string::npos && out.find("->", body) == std::string::npos) {
        auto nodes = declared_nodes(out.substr(body));
        for (std::size_t n = 1; n < nodes.size(); ++n)
          out += " " + nodes[n - 1] + " -> " + nodes[n] + " [style=invis];";
        body = std::string::npos;
      }
      --depth;
    }
    out += ch;
  }
  return out;
}

/// The dot source in the subset graph-easy reads: shapes it lacks become
/// boxes, an escaped quote inside a label becomes a single quote, and
/// clusters are kept whole.
std::string for_graph_easy(const std::string& dot, bool top_to_bottom) {
  static const std::regex shapes(R"re(shape\s*=\s*"?(cylinder|note|box3d|plaintext)"?)re");
  std::string out = std::regex_replace(clusters_kept_whole(dot), shapes, "shape=box");
  out = std::regex_replace(out, std::regex(R"(\\")"), "'");
  if (top_to_bottom) out = std::regex_replace(out, std::regex(R"re(rankdir\s*=\s*"?LR"?)re"), "rankdir=TB");
  return out;
}

/// Columns a drawing takes: its longest line, in characters (UTF-8 aware).
int width_of(const std::string& text) {
  int widest = 0, now = 0;
  for (unsigned char ch : text) {
    if (ch == '\n') {
      widest = std::max(widest, now);
      now = 0;
    } else if ((ch & 0xC0) != 0x80) {
      ++now;
    }
  }
  return std::max(widest, now);
}

/// graph-easy's drawing of @p dot, or "" when it cannot draw it. The source
/// goes through a temporary file (graph-easy reads a file; our runner gives
/// children /dev/null as stdin), removed at once.
std::string graph_easy(const std::string& dot, bool unicode) {
  const char* tmp = std::getenv("TMPDIR");
  std::string path = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/ipclab-diagram-XXXXXX";
  unique_fd fd(::mkstemp(path.data()));
  if (!fd) return "";
  bool written = writen(fd.get(), dot.data(), dot.size()) == static_cast<ssize_t>(dot.size());
  run_result r;
  if (written)
    r = run_program({"graph-easy", "--from=dot", unicode ? "--as=boxart" : "--as=ascii", path},
                    std::chrono::seconds(30));
  ::unlink(path.c_str());
  if (!written || r.exit_code != 0 || r.out.find_first_not_of(" \n") == std::string::npos) return "";
  return r.out;
}

}  // namespace

text_canvas terminal_canvas() {
  text_canvas canvas;
  winsize ws{};
  if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) {
    canvas.columns = ws.ws_col;
  } else if (const char* cols = std::getenv("COLUMNS"); cols != nullptr && std::atoi(cols) > 0) {
    canvas.columns = std::atoi(cols);
  }
  std::string locale;
  for (const char* name : {"LC_ALL", "LC_CTYPE", "LANG"}) {
    const char* v = std::getenv(name);
    if (v != nullptr && *v != '\0') {
      locale = v;
      break;
    }
  }
  std::transform(locale.begin(), locale.end(), locale.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  canvas.unicode = locale.find("utf-8") != std::string::npos || locale.find("utf8") != std::string::npos;
  return canvas;
}

namespace {

/// The drawing, laid out left to right unless that is too wide.
std::string drawn(const std::string& dot, const text_canvas& canvas) {
  const int room = canvas.columns - 4;  // the notes indent a drawing by four
  std::string wide = graph_easy(for_graph_easy(dot, false), canvas.unicode);
  if (!wide.empty() && width_of(wide) <= room) return wide;
  std::string tall = graph_easy(for_graph_easy(dot, true), canvas.unicode);
  if (wide.empty() || (!tall.empty() && width_of(tall) < width_of(wide))) return tall;
  return wide;
}

/// The cache file of a drawing: FNV-1a of everything that shapes it.
fs::path cached(const std::string& dot, const text_canvas& canvas) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char ch : fmt::format("v1 {} {}\n{}", canvas.columns, canvas.unicode, dot)) {
    h ^= ch;
    h *= 1099511628211ull;
  }
  return canvas.cache / fmt::format("{:016x}.txt", h);
}

}  // namespace

std::string diagram_as_text(const std::string& dot, const text_canvas& canvas) {
  if (canvas.cache.empty()) return drawn(dot, canvas);
  const fs::path file = cached(dot, canvas);
  if (std::ifstream in(file); in) return std::string(std::istreambuf_iterator<char>(in), {});
  std::string picture = drawn(dot, canvas);
  std::error_code ec;
  fs::create_directories(canvas.cache, ec);
  const fs::path part = file.string() + ".part";
  if (!picture.empty() && (std::ofstream(part) << picture)) fs::rename(part, file, ec);
  return picture;
}

}  // namespace ipclab::cli
