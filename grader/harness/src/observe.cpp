// Reading process and IPC state from /proc, for the parent's observations.
#include "ipclab/observe.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <utility>
#include <fstream>
#include <sstream>

namespace ipclab::observe {
namespace {

bool read_stat(pid_t pid, process& p) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(in, line)) return false;
  // The command is parenthesised and may itself hold spaces or parentheses.
  auto open = line.find('(');
  auto close = line.rfind(')');
  if (open == std::string::npos || close == std::string::npos) return false;
  p.pid = pid;
  p.command = line.substr(open + 1, close - open - 1);
  std::istringstream rest(line.substr(close + 2));
  rest >> p.state >> p.ppid >> p.pgid;
  if (!rest) return false;
  // statm: size resident shared ...; resident less shared is its own memory.
  std::ifstream statm("/proc/" + std::to_string(pid) + "/statm");
  long size = 0, resident = 0, shared = 0;
  if (statm >> size >> resident >> shared) p.own_pages = resident - shared;
  return true;
}

std::vector<int> numeric_entries(const std::string& dir) {
  std::vector<int> out;
  if (DIR* d = ::opendir(dir.c_str())) {
    while (dirent* e = ::readdir(d)) {
      char* end = nullptr;
      long v = std::strtol(e->d_name, &end, 10);
      if (end != e->d_name && *end == '\0') out.push_back(static_cast<int>(v));
    }
    ::closedir(d);
  }
  return out;
}

std::string access_of(pid_t pid, int fd) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/fdinfo/" + std::to_string(fd));
  std::string key;
  while (in >> key) {
    if (key == "flags:") {
      std::string octal;
      in >> octal;
      switch (std::strtol(octal.c_str(), nullptr, 8) & O_ACCMODE) {
        case O_RDONLY: return "read";
        case O_WRONLY: return "write";
        default: return "read/write";
      }
    }
  }
  return "?";
}

constexpr long kMqueueMagic = 0x19800202;  // statfs f_type of mqueue (ipc/mqueue.c)

// The names in @p d (closed here; null lists nothing) owned by @p owner, as
// @p shown_as + "/" + name, sorted.
std::vector<std::string> owned_in(DIR* d, const std::string& shown_as, uid_t owner) {
  std::vector<std::string> out;
  if (d == nullptr) return out;
  while (dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    struct stat st {};
    if (::fstatat(::dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
    if (owner == static_cast<uid_t>(-1) || st.st_uid == owner) out.push_back(shown_as + "/" + name);
  }
  ::closedir(d);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

std::vector<process> processes() {
  std::vector<process> out;
  for (int pid : numeric_entries("/proc")) {
    process p;
    if (read_stat(pid, p)) out.push_back(p);
  }
  return out;
}

long tasks_of(uid_t uid) {
  long tasks = 0;
  for (int pid : numeric_entries("/proc")) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    bool mine = false;
    for (std::string key; in >> key;) {
      if (key == "Uid:") {
        uid_t real = 0;
        in >> real;
        mine = real == uid;
      } else if (key == "Threads:") {
        long n = 0;
        in >> n;
        if (mine) tasks += n;
        break;
      }
      in.ignore(1 << 16, '\n');
    }
  }
  return tasks;
}

std::vector<process> with_descendants(std::vector<process> roots, const std::vector<process>& all) {
  auto known = [&](pid_t pid) {
    return std::any_of(roots.begin(), roots.end(), [&](const process& r) { return r.pid == pid; });
  };
  for (std::size_t i = 0; i < roots.size(); ++i)
    for (const auto& p : all)
      if (p.ppid == roots[i].pid && !known(p.pid)) roots.push_back(p);
  return roots;
}

std::vector<process> tree(pid_t root) {
  auto all = processes();
  std::vector<process> roots;
  for (const auto& p : all)
    if (p.pid == root) roots.push_back(p);
  return with_descendants(std::move(roots), all);
}

std::vector<pid_t> threads(pid_t pid) {
  auto ids = numeric_entries("/proc/" + std::to_string(pid) + "/task");
  return {ids.begin(), ids.end()};
}

std::vector<sandbox::fd_entry> open_fds(pid_t pid) {
  std::vector<sandbox::fd_entry> out;
  std::string base = "/proc/" + std::to_string(pid) + "/fd/";
  for (int fd : numeric_entries(base)) {
    char target[PATH_MAX] = {};
    if (::readlink((base + std::to_string(fd)).c_str(), target, sizeof target - 1) < 0) continue;
    out.push_back({fd, target, access_of(pid, fd)});
  }
  std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.fd < b.fd; });
  return out;
}

std::pair<long, long> blocked_call(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/syscall");
  std::string nr, arg;
  if (!(in >> nr >> arg) || nr == "running" || nr == "-1") return {-1, 0};
  return {std::strtol(nr.c_str(), nullptr, 10), std::strtol(arg.c_str(), nullptr, 16)};
}

std::string memory(pid_t pid, unsigned long addr, std::size_t len) {
  std::string out(len, '\0');
  iovec local{out.data(), len};
  iovec remote{reinterpret_cast<void*>(addr), len};
  ssize_t n = ::process_vm_readv(pid, &local, 1, &remote, 1, 0);
  out.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
  return out;
}

std::vector<sandbox::ipc_entry> ipc_objects() {
  struct source {
    const char* file;
    const char* kind;
  };
  std::vector<sandbox::ipc_entry> out;
  for (auto [file, kind] : {source{"/proc/sysvipc/msg", "message queue"},
                            source{"/proc/sysvipc/sem", "semaphore set"},
                            source{"/proc/sysvipc/shm", "shared memory segment"}}) {
    std::ifstream in(file);
    std::string line;
    std::getline(in, line);  // headings: key id perms ... uid in column 8 (msg, shm) or 5 (sem)
    bool sem = std::string(kind) == "semaphore set";
    while (std::getline(in, line)) {
      std::istringstream cols(line);
      std::vector<std::string> v;
      for (std::string c; cols >> c;) v.push_back(c);
      if (v.size() < 8) continue;
      sandbox::ipc_entry e;
      e.kind = kind;
      e.key = std::strtol(v[0].c_str(), nullptr, 10);
      e.id = static_cast<int>(std::strtol(v[1].c_str(), nullptr, 10));
      e.mode = static_cast<unsigned>(std::strtoul(v[2].c_str(), nullptr, 8));
      e.owner = static_cast<uid_t>(std::strtoul(v[sem ? 4 : 7].c_str(), nullptr, 10));
      out.push_back(e);
    }
  }
  return out;
}

std::vector<std::string> entries_owned(const std::string& dir, uid_t owner) {
  return owned_in(::opendir(dir.c_str()), dir, owner);
}

std::vector<std::string> message_queues(uid_t owner) {
  // A fresh mqueue mount shows the queues of the IPC namespace of whoever
  // makes it; fsmount() leaves it attached nowhere, seen by this fd alone.
  int fs = ::fsopen("mqueue", FSOPEN_CLOEXEC);
  int mnt = -1;
  if (fs >= 0 && ::fsconfig(fs, FSCONFIG_CMD_CREATE, nullptr, nullptr, 0) == 0)
    mnt = ::fsmount(fs, FSMOUNT_CLOEXEC, 0);
  int why = errno;
  if (fs >= 0) ::close(fs);
  if (mnt >= 0) {
    int dir = ::openat(mnt, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    ::close(mnt);
    return owned_in(dir < 0 ? nullptr : ::fdopendir(dir), kQueueDir, owner);
  }
  struct statfs fsinfo {};
  if (::statfs(kQueueDir, &fsinfo) == 0 && fsinfo.f_type == kMqueueMagic) return entries_owned(kQueueDir, owner);
  static bool said = false;
  if (!std::exchange(said, true))
    std::fprintf(stderr, "ipclab: note: POSIX message queues cannot be listed (no mqueue mount: %s);\n"
                 "        a call's leftover queues are neither reported nor removed.\n", std::strerror(why));
  return {};
}

}  // namespace ipclab::observe
