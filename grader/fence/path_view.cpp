// Hiding folders from a fenced process with mounts in its own namespace.
#include "fence/path_view.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <iterator>

namespace ipclab::fence {
namespace {

constexpr unsigned long kCover = MS_NOSUID | MS_NODEV | MS_NOEXEC;

bool is_under(const std::string& path, const std::string& folder) {
  return path.size() > folder.size() && path.compare(0, folder.size(), folder) == 0 &&
         path[folder.size()] == '/';
}

// Creates the mount point for @p path inside a covering tmpfs: its parent
// folders, then a folder or an empty file like the original.
int make_mount_point(const std::string& path, bool folder) {
  for (std::size_t at = path.find('/', 1); at != std::string::npos; at = path.find('/', at + 1))
    if (::mkdir(path.substr(0, at).c_str(), 0755) != 0 && errno != EEXIST) return -1;
  if (folder) return ::mkdir(path.c_str(), 0755) != 0 && errno != EEXIST ? -1 : 0;
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  return fd < 0 ? -1 : ::close(fd);
}

struct kept_path {
  std::string path;
  int fd;
  bool folder;
};

// Binds back each kept path that lies under one of @p tops; "" or the step that failed.
std::string bind_back(const std::vector<kept_path>& kept, const std::vector<std::string>& tops) {
  for (const auto& k : kept) {
    bool beneath = std::any_of(tops.begin(), tops.end(), [&](auto& t) { return is_under(k.path, t); });
    if (!beneath) continue;
    std::string source = "/proc/self/fd/" + std::to_string(k.fd);
    if (make_mount_point(k.path, k.folder) != 0) return "make the mount point of kept " + k.path;
    if (::mount(source.c_str(), k.path.c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0)
      return "bind kept " + k.path + " back";
  }
  return "";
}

}  // namespace

std::string apply_path_view(const path_view& view) {
  if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
    return "make the mount namespace private";
  std::vector<kept_path> kept;
  for (const auto& p : view.kept) {
    int fd = ::open(p.c_str(), O_PATH | O_CLOEXEC);
    struct stat st {};
    if (fd < 0 || ::fstat(fd, &st) != 0) return "open kept " + p;
    kept.push_back({p, fd, S_ISDIR(st.st_mode)});
  }
  // Scratch first, and what is kept beneath it back, so that hidden
  // folders inside kept ones (a kit under /tmp) are then found and covered.
  for (const auto& d : view.scratch)
    if (::mount("tmpfs", d.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777,size=512m") != 0)
      return "mount a private tmpfs on " + d;
  if (auto failed = bind_back(kept, view.scratch); !failed.empty()) return failed;
  std::vector<std::string> covered;
  for (const auto& h : view.hidden) {
    struct stat st {};
    if (::stat(h.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) continue;
    if (::mount("tmpfs", h.c_str(), "tmpfs", kCover, "size=1m,mode=0755") != 0)
      return "cover hidden " + h;
    covered.push_back(h);
  }
  if (auto failed = bind_back(kept, covered); !failed.empty()) return failed;
  for (const auto& k : kept) ::close(k.fd);
  for (const auto& h : covered)
    if (::mount(nullptr, h.c_str(), nullptr, MS_REMOUNT | MS_RDONLY | kCover, nullptr) != 0)
      return "make the cover of " + h + " read-only";
  return "";
}

std::vector<std::string> all_but_system(const std::vector<std::string>& scratch) {
  std::vector<std::string> out;
  DIR* root = ::opendir("/");
  if (root == nullptr) return out;
  while (dirent* e = ::readdir(root)) {
    std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    if (std::find(std::begin(kSystemDirs), std::end(kSystemDirs), name) != std::end(kSystemDirs))
      continue;
    std::string path = "/" + name;
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) continue;
    if (std::find(scratch.begin(), scratch.end(), path) == scratch.end()) out.push_back(path);
  }
  ::closedir(root);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace ipclab::fence
