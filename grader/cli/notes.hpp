// A chapter's README.md (a Doxygen page) turned into plain terminal text.
#pragma once

#include <string>

#include "kit.hpp"

namespace ipclab::cli {

/// The notes of @p c for a terminal: heading labels `{#...}` dropped, each
/// `\snippet demo.cpp NAME` replaced by the code between the `//! [NAME]`
/// lines of the chapter's demo.cpp, each `\dot ... \enddot` diagram drawn as
/// text from that same dot source (diagram.hpp), `\ref x "text"` by its text.
/// Drawings are kept in @p cache (e.g. the build folder) for the next time.
std::string notes_for_terminal(const chapter& c, bool colour, const fs::path& cache);

}  // namespace ipclab::cli
