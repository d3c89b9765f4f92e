// Demo narration and the --trace views read from /proc.
#include "ipclab/trace.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace ipclab {
namespace {

void emit(const std::string& text) {
  std::fflush(stdout);
  [[maybe_unused]] auto n = ::write(STDOUT_FILENO, text.data(), text.size());
}

std::string prefix() { return "[" + std::to_string(::getpid()) + "] "; }

/// One open descriptor of some process: what it reaches and how.
struct fd_entry {
  pid_t pid = 0;
  int fd = -1;
  dev_t dev = 0;      ///< with ino: the object (pipe, socket, file) it reaches
  ino_t ino = 0;
  mode_t type = 0;    ///< S_IFIFO, S_IFSOCK, S_IFREG...
  int access = 0;     ///< O_RDONLY, O_WRONLY or O_RDWR
  std::string target; ///< the /proc link: "pipe:[123]", a path...

  bool same_object(const fd_entry& o) const { return dev == o.dev && ino == o.ino; }
};

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

/// What the program inherited (descriptor -> object) before main(): left out
/// of the pictures while it still reaches the same object.
const std::map<int, std::pair<dev_t, ino_t>>& inherited() {
  static const auto at_start = [] {
    std::map<int, std::pair<dev_t, ino_t>> m;
    for (const auto& e : fds_of(::getpid())) m[e.fd] = {e.dev, e.ino};
    return m;
  }();
  return at_start;
}
[[maybe_unused]] const auto& taken_at_start = inherited();

bool from_environment(const fd_entry& e) {
  auto it = inherited().find(e.fd);
  return it != inherited().end() && it->second == std::make_pair(e.dev, e.ino);
}

std::string who(pid_t pid) {
  if (pid == ::getpid()) return "here";
  std::string name = "in " + std::to_string(pid);
  if (pid == ::getppid()) return name + " (our parent)";
  if (stat_field(pid, 4) == ::getpid()) return name + " (our child)";
  return name;
}

std::string object(const fd_entry& e) {
  const char* ends[] = {"read end", "write end", "both ends"};
  const char* end = ends[e.access];
  if (e.type == S_IFIFO && e.target.rfind("pipe:", 0) == 0)
    return std::string(end) + " of pipe " + std::to_string(e.ino);
  if (e.type == S_IFIFO) return std::string(end) + " of FIFO " + e.target;
  if (e.type == S_IFSOCK) return "socket " + std::to_string(e.ino) + " (reads and writes)";
  const char* modes[] = {"read-only", "write-only", "read-write"};
  return e.target + " (" + modes[e.access] + ")";
}

/// For a pipe or FIFO end: who holds the other end, or what its absence means.
std::string other_end(const fd_entry& mine, const std::vector<fd_entry>& all) {
  std::string same, other;
  for (const auto& e : all) {
    if (!e.same_object(mine) || (e.pid == mine.pid && e.fd == mine.fd)) continue;
    std::string at = "fd " + std::to_string(e.fd) + " " + who(e.pid);
    if (mine.type == S_IFSOCK || e.access == mine.access) same += (same.empty() ? "" : ", ") + at;
    if (mine.type == S_IFIFO && (e.access != mine.access || e.access == O_RDWR))
      other += (other.empty() ? "" : ", ") + at;
  }
  std::string text;
  if (mine.type == S_IFIFO && mine.access == O_RDONLY)
    text = other.empty() ? "no write end open: read() returns 0, end-of-file" : "write end: " + other;
  else if (mine.type == S_IFIFO && mine.access == O_WRONLY)
    text = other.empty() ? "no read end open: write() gets SIGPIPE/EPIPE" : "read end: " + other;
  if (!same.empty()) text += (text.empty() ? "" : "; ") + std::string("also open: ") + same;
  return text;
}

}  // namespace

void narrate(std::string_view text) { emit(prefix() + std::string(text) + "\n"); }

bool tracing() noexcept {
  const char* v = std::getenv("IPCLAB_TRACE");
  return v != nullptr && *v != '\0' && *v != '0';
}

void trace_fds(std::string_view step) {
  if (!tracing()) return;
  auto all = fds_of(::getpid());
  std::vector<fd_entry> mine;
  std::string left_out;
  for (const auto& e : all) {
    if (from_environment(e)) left_out += " " + std::to_string(e.fd);
    else mine.push_back(e);
  }
  auto others = fds_of_group();
  all.insert(all.end(), others.begin(), others.end());
  std::string out = prefix() + "fd table after " + std::string(step) + ":\n";
  if (mine.empty()) out += "    (no descriptor of the demo's own)\n";
  for (const auto& e : mine) {
    char line[128];
    std::snprintf(line, sizeof line, "    fd %-3d %-34s", e.fd, object(e).c_str());
    std::string holders = other_end(e, all);
    out += line + (holders.empty() ? "" : "  " + holders) + "\n";
  }
  if (!left_out.empty()) out += "    (left out, as inherited unchanged from whoever started us: fd" + left_out + ")\n";
  emit(out);
}

void trace_ipc(std::string_view step) {
  if (!tracing()) return;
  std::string out = prefix() + "XSI IPC objects after " + std::string(step) + " (the whole machine's, as ipcs):\n";
  struct kind {
    const char* file;
    const char* title;
    std::vector<std::string> columns;
  };
  const kind kinds[] = {{"msg", "queue", {"msqid", "perms", "cbytes", "qnum", "lspid", "lrpid"}},
                        {"sem", "semaphore set", {"semid", "perms", "nsems"}},
                        {"shm", "segment", {"shmid", "perms", "size", "nattch", "cpid"}}};
  for (const auto& k : kinds) {
    std::ifstream in(std::string("/proc/sysvipc/") + k.file);
    std::string header;
    std::getline(in, header);
    std::vector<std::string> names;
    std::istringstream heads(header);
    for (std::string h; heads >> h;) names.push_back(h);
    for (std::string row; std::getline(in, row);) {
      std::istringstream values(row);
      std::map<std::string, std::string> field;
      for (std::size_t i = 0; i < names.size() && values >> field[names[i]]; ++i) {
      }
      char key[16];
      std::snprintf(key, sizeof key, "0x%08x", static_cast<unsigned>(std::atoll(field["key"].c_str())));
      out += std::string("    ") + k.title + " key " + key;
      for (const auto& c : k.columns) out += " " + c + " " + field[c];
      out += "\n";
    }
  }
  emit(out);
}

}  // namespace ipclab
