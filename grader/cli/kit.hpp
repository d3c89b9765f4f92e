// The kit as the CLI sees it: where it is built, and its chapters.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace ipclab::cli {

namespace fs = std::filesystem;

/// A mistake on the command line: exit code 2, with this message.
struct usage_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// One chapter, from its folder and its chapter.toml.
struct chapter {
  std::string folder;   ///< "01-pipes"
  std::string slug;     ///< "pipes"
  int number = 0;       ///< 1
  std::string title;    ///< "Pipes"
  std::string summary;  ///< one line: what the exercise asks
  std::string apue;     ///< sections, e.g. "15.2"
  std::vector<std::string> files;  ///< the fill-in's files, e.g. {"pipes.cpp"}
  std::vector<std::string> hints;  ///< progressive hints, gentlest first
  fs::path dir;         ///< chapters/01-pipes
  fs::path test_binary; ///< prebuilt graded tests
  fs::path demo_binary; ///< prebuilt demo
};

/// The kit: its source tree, its build, and how fill-ins are compiled.
struct kit {
  fs::path source_dir;
  fs::path binary_dir;
  std::string cxx;
  std::string cxx_flags;
  fs::path support_include;
  fs::path support_lib;
  fs::path pristine_dir;  ///< the shipped fill-ins, copied at first configure
  fs::path harness_include;  ///< the test harness's headers (for hidden tests)
  fs::path harness_lib;      ///< the test harness as an archive (for hidden tests)
  std::vector<chapter> chapters;

  /// Reads the build manifest written by CMake and every chapter.toml.
  static kit load();

  /// The chapter named by @p name: its slug, number ("1", "01") or folder.
  /// Throws usage_error listing the chapters when none matches.
  const chapter& find(const std::string& name) const;

  /// "all" or one name, as chapters.
  std::vector<const chapter*> select(const std::string& name) const;

  /// Where compiled fill-ins are kept: $IPCLAB_CACHE_DIR when set; else
  /// <build>/modules when the build folder is writable by this user; else
  /// ipclab/modules under $XDG_CACHE_HOME (or ~/.cache), so a user who did
  /// not build the kit can still check.
  fs::path modules_dir() const;

  /// The default fill-in tree: <source>/exercises.
  fs::path exercises_dir() const { return source_dir / "exercises"; }
};

}  // namespace ipclab::cli
