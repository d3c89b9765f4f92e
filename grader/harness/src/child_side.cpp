// The call process: fence it, load the student's module, run the body, report.
#include "child_side.hpp"

#include <dirent.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <exception>
#include <set>
#include <string>

#include "ipclab/isolation.hpp"
#include "memory_cap.hpp"
#include "privileges.hpp"
#include "records.hpp"

namespace ipclab::sandbox {
namespace {

int module_fd = -1;
void* module = nullptr;
int result_fd = -1;
records::seal seal;

void report(records::type t, std::string_view payload) { records::put(result_fd, seal, t, payload); }

[[noreturn]] void leave() { ::_exit(0); }

void reset_signals() {
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  for (int sig = 1; sig < NSIG; ++sig) ::sigaction(sig, &dfl, nullptr);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
}

// Harness descriptors move high and close on exec, out of the student's way.
int move_high(int fd, int floor) {
  int moved = ::fcntl(fd, F_DUPFD_CLOEXEC, floor);
  ::close(fd);
  return moved;
}

void close_all_but(const std::vector<int>& keep) {
  std::vector<int> open;
  if (DIR* d = ::opendir("/proc/self/fd")) {
    int own = ::dirfd(d);
    while (dirent* e = ::readdir(d)) {
      int fd = std::atoi(e->d_name);
      if (e->d_name[0] != '.' && fd != own) open.push_back(fd);
    }
    ::closedir(d);
  }
  for (int fd : open)
    if (std::find(keep.begin(), keep.end(), fd) == keep.end()) ::close(fd);
}

void set_limit(int resource, rlim_t value) {
  rlimit r{value, value};
  ::setrlimit(resource, &r);
}

void apply_limits(const limits& lim, rlim_t max_tasks) {
  auto cpu = static_cast<rlim_t>(lim.wall.count() / 1000 + 2);
  set_limit(RLIMIT_CPU, cpu);
  set_limit(RLIMIT_CORE, 0);
  set_limit(RLIMIT_FSIZE, rlim_t{child_side::kFileLimitMiB} << 20);
  set_limit(RLIMIT_NOFILE, static_cast<rlim_t>(lim.max_files));
  set_limit(RLIMIT_NPROC, max_tasks);
#if !defined(__SANITIZE_ADDRESS__)
  set_limit(RLIMIT_AS, rlim_t{child_side::kMemoryLimitMiB} << 20);
#endif
}

void become_sandbox_user() {
  if (::geteuid() != 0) return;
  uid_t uid = isolation::sandbox_uid();
  if (::setgroups(0, nullptr) != 0 || ::setgid(uid) != 0 || ::setuid(uid) != 0) {
    report(records::threw, "cannot switch to the sandbox user");
    leave();
  }
  ::prctl(PR_SET_DUMPABLE, 1);  // so the call can still read /proc/self/fd
}

// exit() during dlopen() comes from a constructor of the student's globals.
bool loading = false;
void exit_while_loading() {
  if (loading)
    report(records::load_failed,
                 "your code called exit() while it was being loaded: a constructor of a global "
                 "object must not end the process");
}

void load_module() {
  if (module_fd < 0) {
    report(records::load_failed,
                 "your code did not compile, so this test could not run: fix the first error "
                 "the compiler reports, then check again");
    leave();
  }
  std::string path = "/proc/self/fd/" + std::to_string(module_fd);
  loading = true;
  std::atexit(exit_while_loading);
  module = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  loading = false;
  ::close(module_fd);
  if (module == nullptr) {
    const char* why = ::dlerror();
    report(records::load_failed,
                 std::string("your compiled code could not be loaded: ") + (why ? why : "?"));
    leave();
  }
}

std::string fd_list() {
  std::string out;
  if (DIR* d = ::opendir("/proc/self/fd")) {
    int own = ::dirfd(d);
    while (dirent* e = ::readdir(d))
      if (e->d_name[0] != '.' && std::atoi(e->d_name) != own) out += std::string(e->d_name) + " ";
    ::closedir(d);
  }
  return out;
}

}  // namespace

void* student_symbol(const char* name) {
  if (result_fd < 0) {
    static const char msg[] = "ipclab: STUDENT() used outside sandbox::call()\n";
    [[maybe_unused]] auto n = ::write(STDERR_FILENO, msg, sizeof msg - 1);
    std::abort();
  }
  void* sym = ::dlsym(module, name);
  if (sym == nullptr) {
    report(records::load_failed,
                 std::string("your code has no function `") + name +
                     "`: define it with exactly the name and parameters its header declares");
    leave();
  }
  return sym;
}

void student_returned(const char* name, bool unwritten) noexcept {
  static std::set<std::string> told;  // per process: each outcome of each function once
  std::string note = std::string(name) + (unwritten ? " 1" : " 0");
  if (told.insert(note).second) report(records::student_call, note);
}

void child::send(std::string_view bytes) { report(records::message, bytes); }

namespace child_side {

void set_module_fd(int fd) noexcept { module_fd = fd; }

void run(const body& fn, const limits& lim, channels ch) {
  join_memory_cap(isolation::memory_cgroup());
  ::setpgid(0, 0);
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  reset_signals();
  int null = ::open("/dev/null", O_RDONLY);
  ::dup2(null, STDIN_FILENO);
  ::dup2(ch.out, STDOUT_FILENO);
  ::dup2(ch.err, STDERR_FILENO);
  std::vector<int> keep = ch.keep;
  keep.insert(keep.end(), {0, 1, 2, ch.result, ch.release, module_fd});
  close_all_but(keep);
  result_fd = move_high(ch.result, lim.max_files - 4);
  seal = ch.seal;
  int release = move_high(ch.release, lim.max_files - 3);
  if (module_fd >= 0) module_fd = move_high(module_fd, lim.max_files - 2);

  apply_limits(lim, ch.max_tasks);
  drop_bounding_set();
  become_sandbox_user();
  if (!drop_privileges()) {
    report(records::threw, "cannot drop every capability of the call process");
    leave();
  }
  if (::chdir("/tmp") != 0) report(records::threw, "cannot enter /tmp");
  ::setenv("HOME", "/tmp", 1);
  load_module();
  std::string before = fd_list();
  report(records::baseline, before);

  child me;
  try {
    errno = 0;
    long value = fn(me);
    int err = errno;
    report(records::returned, std::to_string(value) + " " + std::to_string(err));
  } catch (const std::bad_alloc&) {
    report(records::out_of_memory, "");
  } catch (const std::exception& e) {
    report(records::threw, e.what());
  } catch (...) {
    report(records::threw, "an unknown exception");
  }
  // The student closed the harness's descriptors: say so by the exit code.
  if (::fcntl(result_fd, F_GETFD) < 0 || ::fcntl(release, F_GETFD) < 0) ::_exit(kClosedHarnessFds);
  char byte;
  while (::read(release, &byte, 1) < 0 && errno == EINTR) {
  }
  leave();
}

}  // namespace child_side
}  // namespace ipclab::sandbox
