// Showing long text: through $PAGER on a terminal, plainly otherwise.
#pragma once

#include <string>

namespace ipclab::cli {

/// Prints @p text through $PAGER (default `less -R`) when stdout is a
/// terminal, straight to stdout otherwise or when the pager cannot run.
void page(const std::string& text);

}  // namespace ipclab::cli
