// Compiling a chapter's fill-in into the module its tests load.
#pragma once

#include <string>

#include "ipclab/path_view.hpp"
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
/// module, cached under the build folder per fill-in tree: an unchanged
/// fill-in is not compiled again. Throws usage_error when the folder is
/// missing or holds no .cpp file. With @p jail (grading), the compiler runs
/// in compile_jail(): the jail's folders hidden, the fill-in and the
/// module's folder kept. The compiler's messages are capped at 64 KiB.
module_build build_module(const kit& k, const chapter& c, const fs::path& exercises,
                          const path_view* jail = nullptr);

}  // namespace ipclab::cli
