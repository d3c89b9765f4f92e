// Compiling a chapter's fill-in into the module its tests load.
#pragma once

#include <string>

#include "check.hpp"
#include "kit.hpp"

namespace ipclab::cli {

/// The outcome of compiling one fill-in.
struct module_build {
  bool ok = false;
  fs::path module;          ///< the .so, when ok
  std::string diagnostics;  ///< the compiler's messages (warnings too)
  bool reused = false;      ///< nothing changed since the last build
};

/// Compiles every .cpp of @p exercises/<chapter folder> into one shared
/// module, cached under the build folder per fill-in tree: a fill-in none
/// of whose files (sources and its own headers) changed is not compiled
/// again. Throws usage_error when the folder is missing or holds no .cpp
/// file. The compiler runs behind the fence (limits on CPU time, memory
/// and file size); when @p f is grading, in a system-only view that shows
/// it the system, the chapter's and support's headers, the support library,
/// the fill-in and its scratch folder, as the submission's user when root.
/// The compiler's messages are capped at 64 KiB, in colour only when
/// @p f asks for it.
module_build build_module(const kit& k, const chapter& c, const fs::path& exercises,
                          const fencing& f);

}  // namespace ipclab::cli
