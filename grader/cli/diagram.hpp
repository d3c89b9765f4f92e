// A diagram of the notes (Graphviz dot) drawn with boxes and arrows as text.
#pragma once

#include <filesystem>
#include <string>

namespace ipclab::cli {

/// How a terminal can show a drawing.
struct text_canvas {
  int columns = 100;    ///< the width to stay within when a layout allows it
  bool unicode = true;  ///< box-drawing characters, or plain ASCII
  std::filesystem::path cache;  ///< a folder keeping drawings already made; empty: none
};

/// The terminal's width (stdout's window, else $COLUMNS, else 100) and
/// whether its locale is UTF-8.
text_canvas terminal_canvas();

/// The diagram whose Graphviz source is @p dot (the text between `\dot` and
/// `\enddot` in the notes, the very source of the site's picture) laid out
/// and drawn as text by graph-easy (Debian's libgraph-easy-perl): left to
/// right as on the site, or top to bottom when that is too wide for
/// @p canvas. Shapes a terminal cannot draw (cylinder, note, box3d,
/// plaintext) become boxes. A drawing is kept in @p canvas's cache folder,
/// named by a hash of the source and the canvas, so that the next reading
/// need not run graph-easy again. Empty when graph-easy is missing or fails.
std::string diagram_as_text(const std::string& dot, const text_canvas& canvas);

}  // namespace ipclab::cli
