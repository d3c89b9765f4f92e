// memory_cap: find a writable memory controller, make a cgroup, remove it.
#include "memory_cap.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <fstream>
#include <sstream>

#include "ipclab/io.hpp"

namespace ipclab::sandbox {
namespace {

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream all;
  all << in.rdbuf();
  return all.str();
}

bool has_word(const std::string& text, const std::string& word) {
  std::istringstream in(text);
  for (std::string w; in >> w;)
    if (w == word) return true;
  return false;
}

/// Where this process's cgroups live.
struct hierarchy {
  std::string base;  ///< the folder new cgroups go in; empty when none
  bool v2 = false;
};

// v1: the `memory` line of /proc/self/cgroup names our cgroup under
// /sys/fs/cgroup/memory. v2: the `0::` line, under /sys/fs/cgroup; the
// nearest ancestor that hands `memory` to its children is where ours go.
hierarchy find_hierarchy() {
  if (::geteuid() != 0) return {};
  std::ifstream in("/proc/self/cgroup");
  std::string v2_path;
  for (std::string line; std::getline(in, line);) {
    auto first = line.find(':'), second = line.find(':', first + 1);
    if (first == std::string::npos || second == std::string::npos) continue;
    std::string controllers = line.substr(first + 1, second - first - 1);
    std::string path = line.substr(second + 1);
    if (controllers == "memory") {
      std::string dir = "/sys/fs/cgroup/memory" + path;
      if (::access((dir + "/memory.limit_in_bytes").c_str(), W_OK) == 0) return {dir, false};
    }
    if (line.rfind("0::", 0) == 0) v2_path = path;
  }
  if (v2_path.empty() || ::access("/sys/fs/cgroup/cgroup.controllers", R_OK) != 0) return {};
  for (std::string p = v2_path;; p = p.substr(0, p.rfind('/'))) {
    std::string dir = "/sys/fs/cgroup" + (p == "/" ? std::string() : p);
    if (has_word(read_text(dir + "/cgroup.subtree_control"), "memory")) return {dir, true};
    if (p.empty() || p == "/") return {};
  }
}

bool under_asan() {
#if defined(__SANITIZE_ADDRESS__)
  return true;
#else
  return false;
#endif
}

}  // namespace

memory_cap memory_cap::make(unsigned mib) {
  memory_cap cap;
  const hierarchy h = find_hierarchy();
  if (h.base.empty() || under_asan()) return cap;
  // The pid of the process that makes it (outside any PID namespace of the
  // run) keeps concurrent runs apart.
  std::string dir = h.base + "/ipclab-" + std::to_string(::getpid());
  if (::mkdir(dir.c_str(), 0755) != 0) return cap;
  std::string bytes = std::to_string(std::uint64_t{mib} << 20);
  if (!write_control_file((dir + (h.v2 ? "/memory.max" : "/memory.limit_in_bytes")).c_str(), bytes)) {
    ::rmdir(dir.c_str());
    return cap;
  }
  if (h.v2) write_control_file((dir + "/memory.swap.max").c_str(), "0");  // absent without swap
  cap.dir_ = dir;
  cap.procs_ = dir + "/cgroup.procs";
  cap.v2_ = h.v2;
  return cap;
}

void memory_cap::remove() noexcept {
  if (dir_.empty()) return;
  // The last process may still be leaving the cgroup when its parent reaps it.
  for (int attempt = 0; attempt < 100 && ::rmdir(dir_.c_str()) != 0 && errno == EBUSY; ++attempt)
    ::usleep(1000);
  dir_.clear();
  procs_.clear();
}

long memory_cap::oom_kills() const {
  if (dir_.empty()) return 0;
  std::istringstream in(read_text(dir_ + (v2_ ? "/memory.events" : "/memory.oom_control")));
  for (std::string key; in >> key;) {
    long value = 0;
    in >> value;
    if (key == "oom_kill") return value;
  }
  return 0;
}

void join_memory_cap(const std::string& file) noexcept {
  if (!file.empty()) write_control_file(file.c_str(), "0");
}

}  // namespace ipclab::sandbox
