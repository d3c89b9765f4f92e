// Demo narration and the --trace views read from /proc.
#include "ipclab/trace.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "fd_table.hpp"
#include "ipclab/socket_peers.hpp"

namespace ipclab {
namespace {

using fd_table::fd_entry;
using fd_table::fds_of;
using fd_table::stat_field;

void emit(const std::string& text) {
  std::fflush(stdout);
  [[maybe_unused]] auto n = ::write(STDOUT_FILENO, text.data(), text.size());
}

std::string prefix() { return "[" + std::to_string(::getpid()) + "] "; }

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
  if (e.type == S_IFSOCK) return "socket " + std::to_string(e.ino) + " (both ways)";
  const char* modes[] = {"read-only", "write-only", "read-write"};
  return e.target + " (" + modes[e.access] + ")";
}

/// For a pipe, FIFO or socket: who holds the other end, or what its
/// absence means; and who else holds the same end.
std::string other_end(const fd_entry& mine, const std::vector<fd_entry>& all,
                      const std::map<ino_t, ino_t>& peers) {
  auto found = peers.find(mine.ino);
  const ino_t peer = found == peers.end() ? 0 : found->second;  // 0: not a connected socket
  const bool socket = mine.type == S_IFSOCK;
  std::string same, other;
  for (const auto& e : all) {
    if (e.pid == mine.pid && e.fd == mine.fd) continue;
    std::string at = "fd " + std::to_string(e.fd) + " " + who(e.pid);
    if (e.same_object(mine) && (socket || e.access == mine.access)) same += (same.empty() ? "" : ", ") + at;
    bool other_end = socket ? e.type == S_IFSOCK && peer != 0 && e.ino == peer
                            : e.same_object(mine) && (e.access != mine.access || e.access == O_RDWR);
    if (mine.type != S_IFREG && other_end) other += (other.empty() ? "" : ", ") + at;
  }
  std::string text;
  if (mine.type == S_IFIFO && mine.access == O_RDONLY)
    text = other.empty() ? "no write end open: read() returns 0, end-of-file" : "write end: " + other;
  else if (mine.type == S_IFIFO && mine.access == O_WRONLY)
    text = other.empty() ? "no read end open: write() gets SIGPIPE/EPIPE" : "read end: " + other;
  else if (socket && peer != 0)
    text = other.empty() ? "other end: in no process of ours" : "other end: " + other;
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
  auto others = fd_table::fds_of_group();
  all.insert(all.end(), others.begin(), others.end());
  const auto peers = unix_socket_peers();
  std::string out = prefix() + "fd table after " + std::string(step) + ":\n";
  if (mine.empty()) out += "    (no descriptor of the demo's own)\n";
  for (const auto& e : mine) {
    char line[128];
    std::snprintf(line, sizeof line, "    fd %-3d %-34s", e.fd, object(e).c_str());
    std::string holders = other_end(e, all, peers);
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
