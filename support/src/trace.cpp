// Demo narration and the --trace views read from /proc.
#include "ipclab/trace.hpp"

#include <dirent.h>
#include <unistd.h>

#include <climits>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

namespace ipclab {
namespace {

void emit(const std::string& text) {
  std::fflush(stdout);
  [[maybe_unused]] auto n = ::write(STDOUT_FILENO, text.data(), text.size());
}

std::string prefix() { return "[" + std::to_string(::getpid()) + "] "; }

}  // namespace

void narrate(std::string_view text) { emit(prefix() + std::string(text) + "\n"); }

bool tracing() noexcept {
  const char* v = std::getenv("IPCLAB_TRACE");
  return v != nullptr && *v != '\0' && *v != '0';
}

void trace_fds(std::string_view step) {
  if (!tracing()) return;
  std::string out = prefix() + "fd table after " + std::string(step) + ":\n";
  DIR* dir = ::opendir("/proc/self/fd");
  if (dir == nullptr) return;
  int own = ::dirfd(dir);
  while (dirent* e = ::readdir(dir)) {
    if (e->d_name[0] == '.' || std::atoi(e->d_name) == own) continue;
    char target[PATH_MAX] = {};
    std::string link = std::string("/proc/self/fd/") + e->d_name;
    if (::readlink(link.c_str(), target, sizeof target - 1) < 0) continue;
    out += "    fd " + std::string(e->d_name) + " -> " + target + "\n";
  }
  ::closedir(dir);
  emit(out);
}

void trace_ipc(std::string_view step) {
  if (!tracing()) return;
  std::string out = prefix() + "XSI IPC objects after " + std::string(step) + ":\n";
  for (const char* kind : {"msg", "sem", "shm"}) {
    std::ifstream in(std::string("/proc/sysvipc/") + kind);
    std::string line;
    std::getline(in, line);  // column headings
    while (std::getline(in, line)) out += std::string("    ") + kind + ": " + line + "\n";
  }
  emit(out);
}

}  // namespace ipclab
