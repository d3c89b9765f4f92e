// Fill-in → shared module: one compiler run behind the fence, cached by content.
#include "module_build.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <sstream>
#include <system_error>

#include <fmt/format.h>

#include "fence/access.hpp"
#include "files.hpp"
#include "process.hpp"

namespace ipclab::cli {
namespace {

std::vector<std::string> split_flags(const std::string& flags) {
  std::istringstream in(flags);
  std::vector<std::string> out;
  for (std::string f; in >> f;) out.push_back(f);
  return out;
}

// Every regular file of the fill-in's folder, sorted: its sources and its
// own headers alike.
std::vector<fs::path> fill_in_files(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(dir))
    if (fs::is_regular_file(e.symlink_status())) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

// The compiler's fence: limits always; when grading, a system-only view
// with only what it must read kept, and the submission's user.
fence::policy compile_policy(const kit& k, const chapter& c, const fs::path& dir,
                             const fs::path& scratch, const fencing& f) {
  fence::policy p;
  p.limits = {{RLIMIT_CPU, 120}, {RLIMIT_AS, rlim_t{4} << 30}, {RLIMIT_FSIZE, rlim_t{256} << 20},
              {RLIMIT_CORE, 0}};
  if (!f.grading) return p;
  p.weaker = f.choice.weaker;
  if (f.choice.namespaces) p.namespaces = fence::mount_ns | fence::ipc_ns;
  p.system_only = true;
  p.view.scratch = {"/tmp"};
  for (const auto& kept : {c.dir, k.support_include, k.support_lib, dir, scratch})
    p.view.kept.push_back(fs::canonical(kept).string());
  if (f.id != static_cast<uid_t>(-1)) {
    p.uid = f.id;
    p.gid = static_cast<gid_t>(f.id);
  }
  return p;
}

}  // namespace

module_build build_module(const kit& k, const chapter& c, const fs::path& exercises,
                          const fencing& f) {
  fs::path dir = exercises / c.folder;
  if (!fs::is_directory(dir))
    throw usage_error(fmt::format("no folder {}: give --exercises the folder that holds {}/",
                                  dir.string(), c.folder));
  std::vector<fs::path> sources = files_ending(dir, ".cpp");
  if (sources.empty()) throw usage_error(fmt::format("{} holds no .cpp file to compile", dir.string()));

  // Everything the module depends on goes into its fingerprint.
  std::uint64_t h = fnv1a(k.cxx + k.cxx_flags + (f.colour ? "colour" : ""));
  for (const auto& file : fill_in_files(dir)) h = fnv1a(file.string() + '\0' + slurp(file), h);
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

  // When grading, the compiler may run as the submission's user: it reads
  // its own fill-in (granted for this compile only) and writes into a
  // scratch folder of its group's; the module is moved out of it after.
  // Only that group may pass through the module's folder; a test call, as
  // neither root nor that group, cannot reach any module.
  const auto group_exec = fs::perms::owner_all | fs::perms::group_exec;
  const auto group_all = fs::perms::owner_all | fs::perms::group_all;
  const auto group_read = fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read;
  fs::path scratch = out_dir;
  if (f.grading) {
    scratch = out_dir / fmt::format(".compile-{}-{}", c.folder, ::getpid());
    fs::remove_all(scratch);
    fs::create_directory(scratch);
    // Modules already here stay loadable: a call reopens its module through
    // /proc/self/fd, which checks the file's own mode (the folder keeps
    // calls from reaching it by name).
    const auto loadable = fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                          fs::perms::others_read | fs::perms::others_exec;
    fence::grant(out_dir, f.id, group_exec, loadable);
    fence::grant(scratch, f.id, group_all, group_read);
    fence::grant(dir, f.id, group_exec | fs::perms::group_read, group_read);
  }
  auto policy = compile_policy(k, c, dir, scratch, f);
  fs::path partial = scratch / fmt::format("{}.{}.so.part", c.folder, ::getpid());
  std::vector<std::string> argv{k.cxx};
  for (auto& flag : split_flags(k.cxx_flags)) argv.push_back(flag);
  argv.push_back(f.colour ? "-fdiagnostics-color=always" : "-fdiagnostics-color=never");
  argv.insert(argv.end(), {"-fmax-errors=20", "-shared", "-I" + c.dir.string(), "-I" + k.support_include.string(),
                           "-o", partial.string()});
  for (const auto& s : sources) argv.push_back(s.string());
  argv.push_back(k.support_lib.string());
  auto finish = [&] {
    if (!f.grading) return;
    fence::revoke(dir);
    fs::remove_all(scratch);
  };
  run_result r;
  try {
    r = run_program(argv, std::chrono::seconds(150), true, &policy);
  } catch (...) {
    finish();
    throw;
  }
  constexpr std::size_t kMaxDiagnostics = 64 * 1024;
  b.diagnostics = r.out.substr(0, kMaxDiagnostics);
  if (r.out.size() > kMaxDiagnostics) b.diagnostics += "\n[... the compiler's messages were cut here]";
  if (r.exit_code != 0) {
    finish();
    if (r.timed_out) b.diagnostics += "\n(the compiler took more than 150 s and was stopped)";
    return b;
  }
  // The compiler's user owned it: give it back to us before it is used.
  if (f.grading && ::chown(partial.c_str(), ::geteuid(), ::getegid()) != 0)
    throw std::system_error(errno, std::generic_category(), "chown " + partial.string());
  fs::rename(partial, b.module);  // atomic: a concurrent check sees old or new, never half
  finish();
  write_atomically(stamp, fingerprint);
  b.ok = true;
  return b;
}

}  // namespace ipclab::cli
