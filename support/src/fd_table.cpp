// Reading processes' descriptor tables from /proc, and UNIX socket peers from sock_diag.
#include "fd_table.hpp"

#include <dirent.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>

#include "ipclab/unique_fd.hpp"

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

std::map<ino_t, ino_t> unix_socket_peers() {
  std::map<ino_t, ino_t> peers;
  unique_fd sock(::socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG));
  if (!sock) return peers;
  struct {
    nlmsghdr header;
    unix_diag_req request;
  } ask{};
  ask.header.nlmsg_len = sizeof ask;
  ask.header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
  ask.header.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  ask.request.sdiag_family = AF_UNIX;
  ask.request.udiag_states = ~0u;  // every state
  ask.request.udiag_show = UDIAG_SHOW_PEER;
  if (::send(sock.get(), &ask, sizeof ask, 0) < 0) return peers;
  alignas(nlmsghdr) char buf[32768];
  for (;;) {
    ssize_t got = ::recv(sock.get(), buf, sizeof buf, 0);
    if (got <= 0) return peers;
    int left = static_cast<int>(got);
    for (auto* h = reinterpret_cast<nlmsghdr*>(buf); NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
      if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR) return peers;
      auto* msg = static_cast<unix_diag_msg*>(NLMSG_DATA(h));
      int attrs = static_cast<int>(h->nlmsg_len - NLMSG_LENGTH(sizeof *msg));
      for (auto* a = reinterpret_cast<rtattr*>(msg + 1); RTA_OK(a, attrs); a = RTA_NEXT(a, attrs))
        if (a->rta_type == UNIX_DIAG_PEER) peers[msg->udiag_ino] = *static_cast<std::uint32_t*>(RTA_DATA(a));
    }
  }
}

}  // namespace ipclab::fd_table
