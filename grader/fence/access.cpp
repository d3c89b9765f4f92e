// Granting and revoking a submission's group access to its staged files.
#include "fence/access.hpp"

#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace ipclab::fence {
namespace fs = std::filesystem;
namespace {

void give(const fs::path& p, gid_t gid, fs::perms mode) {
  if (::lchown(p.c_str(), 0, gid) != 0)
    throw fs::filesystem_error("chown", p, std::error_code(errno, std::generic_category()));
  fs::permissions(p, mode);
}

}  // namespace

void grant(const fs::path& path, gid_t gid, fs::perms folder_mode, fs::perms file_mode) {
  if (::geteuid() != 0) return;
  auto status = fs::symlink_status(path);
  if (fs::is_symlink(status)) return;
  give(path, gid, fs::is_directory(status) ? folder_mode : file_mode);
  if (!fs::is_directory(status)) return;
  for (const auto& e : fs::recursive_directory_iterator(path)) {
    auto s = e.symlink_status();
    if (fs::is_symlink(s)) continue;
    give(e.path(), gid, fs::is_directory(s) ? folder_mode : file_mode);
  }
}

void revoke(const fs::path& path) {
  grant(path, 0, fs::perms::owner_all, fs::perms::owner_read | fs::perms::owner_write);
}

}  // namespace ipclab::fence
