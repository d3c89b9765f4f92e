// Fill-in → shared module: one compiler run, cached by content.
#include "module_build.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <sstream>
#include <system_error>

#include <fmt/format.h>

#include "files.hpp"
#include "jail.hpp"
#include "process.hpp"

namespace ipclab::cli {
namespace {

std::vector<std::string> split_flags(const std::string& flags) {
  std::istringstream in(flags);
  std::vector<std::string> out;
  for (std::string f; in >> f;) out.push_back(f);
  return out;
}

}  // namespace

module_build build_module(const kit& k, const chapter& c, const fs::path& exercises,
                          const path_view* jail) {
  fs::path dir = exercises / c.folder;
  if (!fs::is_directory(dir))
    throw usage_error(fmt::format("no folder {}: give --exercises the folder that holds {}/",
                                  dir.string(), c.folder));
  std::vector<fs::path> sources = files_ending(dir, ".cpp");
  if (sources.empty()) throw usage_error(fmt::format("{} holds no .cpp file to compile", dir.string()));

  // Everything the module depends on goes into its fingerprint.
  std::uint64_t h = fnv1a(k.cxx + k.cxx_flags);
  for (const auto& s : sources) h = fnv1a(s.string() + slurp(s), h);
  for (const auto& header : files_ending(c.dir, ".hpp")) h = fnv1a(slurp(header), h);
  h = fnv1a(std::to_string(fs::last_write_time(k.support_lib).time_since_epoch().count()), h);

  fs::path canonical = fs::weakly_canonical(exercises);
  fs::path out_dir = k.modules_dir() / fmt::format("{:016x}", fnv1a(canonical.string()));
  fs::create_directories(out_dir);
  module_build b;
  b.module = out_dir / (c.folder + ".so");
  fs::path stamp = out_dir / (c.folder + ".stamp");
  std::string fingerprint = fmt::format("{:016x}", h);
  if (fs::exists(b.module) && slurp(stamp) == fingerprint) {
    b.ok = b.reused = true;
    return b;
  }

  // When grading, the compiler runs fenced, maybe as an unprivileged user:
  // it writes into a scratch folder of its group's, and the module is moved
  // out of it after. Only that group may pass through the module's folder;
  // a test call, as neither root nor that group, cannot reach any module.
  const bool fenced = jail != nullptr;
  fs::path scratch = out_dir;
  std::function<void()> fence;
  if (fenced) {
    share_with_compile_group(out_dir, fs::perms::owner_all | fs::perms::group_exec);
    scratch = out_dir / fmt::format(".compile-{}-{}", c.folder, ::getpid());
    fs::remove_all(scratch);
    fs::create_directory(scratch);
    share_with_compile_group(scratch, fs::perms::owner_all | fs::perms::group_all);
    path_view view = *jail;
    view.kept.insert(view.kept.end(), {canonical.string(), out_dir.string()});
    compile_access access{{c.dir.string(), k.support_include.string(), k.support_lib.string()},
                          scratch.string()};
    for (const auto& s : sources) access.reads.push_back(s.string());
    fence = compile_jail(view, access);
  }
  fs::path partial = scratch / fmt::format("{}.{}.so.part", c.folder, ::getpid());
  std::vector<std::string> argv{k.cxx};
  for (auto& f : split_flags(k.cxx_flags)) argv.push_back(f);
  if (::isatty(STDOUT_FILENO)) argv.push_back("-fdiagnostics-color=always");
  argv.insert(argv.end(), {"-fmax-errors=20", "-shared", "-I" + c.dir.string(), "-I" + k.support_include.string(),
                           "-o", partial.string()});
  for (const auto& s : sources) argv.push_back(s.string());
  argv.push_back(k.support_lib.string());
  auto r = run_program(argv, std::chrono::seconds(150), true, fence);
  auto clear_scratch = [&] {
    if (fenced) fs::remove_all(scratch);
  };
  constexpr std::size_t kMaxDiagnostics = 64 * 1024;
  b.diagnostics = r.out.substr(0, kMaxDiagnostics);
  if (r.out.size() > kMaxDiagnostics) b.diagnostics += "\n[... the compiler's messages were cut here]";
  if (r.exit_code != 0) {
    fs::remove(partial);
    clear_scratch();
    if (r.timed_out) b.diagnostics += "\n(the compiler took more than 150 s and was stopped)";
    return b;
  }
  // The compiler's user owned it: give it back to us before it is used.
  if (fenced && ::chown(partial.c_str(), ::geteuid(), ::getegid()) != 0)
    throw std::system_error(errno, std::generic_category(), "chown " + partial.string());
  fs::rename(partial, b.module);  // atomic: a concurrent check sees old or new, never half
  clear_scratch();
  write_atomically(stamp, fingerprint);
  b.ok = true;
  return b;
}

}  // namespace ipclab::cli
