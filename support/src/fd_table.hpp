// The descriptor tables of processes, read from /proc, for the --trace views.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace ipclab::fd_table {

/// One open descriptor of some process: what it reaches and how.
struct fd_entry {
  pid_t pid = 0;
  int fd = -1;
  dev_t dev = 0;      ///< with ino: the object (pipe, socket, file) it reaches
  ino_t ino = 0;
  mode_t type = 0;    ///< S_IFIFO, S_IFSOCK, S_IFREG...
  int access = 0;     ///< O_RDONLY, O_WRONLY or O_RDWR
  std::string target; ///< the /proc link: "pipe:[123]", a path...

  /// True when both reach the same pipe, socket or file.
  bool same_object(const fd_entry& o) const { return dev == o.dev && ino == o.ino; }
};

/// The descriptors of @p pid (this process's own reading of its fd folder
/// left out); empty when /proc does not show them.
std::vector<fd_entry> fds_of(pid_t pid);

/// Field @p n (numbered as in proc(5)) of /proc/PID/stat; -1 when unknown.
long stat_field(pid_t pid, int n);

/// The descriptors of every other process of our process group: a demo's
/// children and the programs they exec'ed.
std::vector<fd_entry> fds_of_group();

}  // namespace ipclab::fd_table
