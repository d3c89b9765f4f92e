// Drawing a notes diagram as text: graph-easy lays out the same dot source as the site.
#include "diagram.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <regex>
#include <sstream>

#include "ipclab/check.hpp"
#include "ipclab/io.hpp"
#include "ipclab/unique_fd.hpp"
#include "process.hpp"

namespace ipclab::cli {
namespace {

/// The dot source in the subset graph-easy reads: shapes it lacks become
/// boxes, and an escaped quote inside a label becomes a single quote.
std::string for_graph_easy(const std::string& dot, bool top_to_bottom) {
  static const std::regex shapes(R"re(shape\s*=\s*"?(cylinder|note|box3d|plaintext)"?)re");
  std::string out = std::regex_replace(dot, shapes, "shape=box");
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

std::string diagram_as_text(const std::string& dot, const text_canvas& canvas) {
  const int room = canvas.columns - 4;  // the notes indent a drawing by four
  std::string wide = graph_easy(for_graph_easy(dot, false), canvas.unicode);
  if (!wide.empty() && width_of(wide) <= room) return wide;
  std::string tall = graph_easy(for_graph_easy(dot, true), canvas.unicode);
  if (wide.empty() || (!tall.empty() && width_of(tall) < width_of(wide))) return tall;
  return wide;
}

}  // namespace ipclab::cli
