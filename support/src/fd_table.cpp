// Reading processes' descriptor tables from /proc.
#include "fd_table.hpp"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>

namespace ipclab::fd_table {

/// The descriptors of @p pid (its fd folder, the one being read, left out).
std::vector<fd_entry> fds_of(pid_t pid) {
  std::vector<fd_entry> out;
  const std::string base = "/proc/" + std::to_string(pid);
  DIR* dir = ::opendir((base + "/fd").c_str());
  if (dir == nullptr) return out;
  const int own = pid == ::getpid() ? ::dirfd(dir) : -1;
  while (dirent* e = ::readdir(dir)) {
    if (e->d_name[0] == '.' || std::atoi(e->d_name) == own) continue;
    fd_entry entry;
    entry.pid = pid;
    entry.fd = std::atoi(e->d_name);
    const std::string link = base + "/fd/" + e->d_name;
    char target[PATH_MAX] = {};
    struct stat st {};
    if (::readlink(link.c_str(), target, sizeof target - 1) < 0 || ::stat(link.c_str(), &st) < 0) continue;
    entry.target = target;
    entry.dev = st.st_dev;
    entry.ino = st.st_ino;
    entry.type = st.st_mode & S_IFMT;
    std::ifstream info(base + "/fdinfo/" + e->d_name);
    for (std::string key; info >> key;) {
      if (key == "flags:") {
        std::string flags;
        info >> flags;
        entry.access = static_cast<int>(std::strtol(flags.c_str(), nullptr, 8) & 3);
        break;
      }
    }
    out.push_back(entry);
  }
  ::closedir(dir);
  return out;
}

/// Field @p n (1-based, as in proc(5)) of /proc/PID/stat, after the name.
long stat_field(pid_t pid, int n) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto close = all.rfind(')');
  if (close == std::string::npos) return -1;
  std::istringstream rest(all.substr(close + 2));
  std::string field;
  for (int i = 3; i <= n && rest >> field; ++i) {
  }
  return std::atol(field.c_str());
}

/// The descriptors of every other process of our process group: the demo's
/// children and their exec'ed programs, who may hold the other ends.
std::vector<fd_entry> fds_of_group() {
  std::vector<fd_entry> out;
  const long group = ::getpgrp();
  DIR* proc = ::opendir("/proc");
  if (proc == nullptr) return out;
  while (dirent* e = ::readdir(proc)) {
    pid_t pid = std::atoi(e->d_name);
    if (pid <= 0 || pid == ::getpid() || stat_field(pid, 5) != group) continue;
    auto theirs = fds_of(pid);
    out.insert(out.end(), theirs.begin(), theirs.end());
  }
  ::closedir(proc);
  return out;
}
}  // namespace ipclab::fd_table
