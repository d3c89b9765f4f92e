// Spawning helper programs: the compiler, the test runner, demos, pagers.
#include "process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <iterator>
#include <mutex>

#include "ipclab/check.hpp"
#include "ipclab/fd_factory.hpp"

extern char** environ;

namespace ipclab::cli {
namespace {

std::vector<char*> c_argv(const std::vector<std::string>& argv) {
  std::vector<char*> out;
  for (const auto& a : argv) out.push_back(const_cast<char*>(a.c_str()));
  out.push_back(nullptr);
  return out;
}

int decode(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

[[noreturn]] void exec_or_127(const std::vector<std::string>& argv) {
  auto args = c_argv(argv);
  ::execvp(args[0], args.data());
  std::string msg = "ipclab: cannot run " + argv[0] + ": " + std::strerror(errno) + "\n";
  [[maybe_unused]] auto n = ::write(STDERR_FILENO, msg.data(), msg.size());
  ::_exit(127);
}

// The programs running now (each the leader of its process group), so that
// an interrupt ends them before we die: no fenced program outlives us.
constexpr int kMaxRunning = 256;
std::atomic<pid_t> running[kMaxRunning];
constexpr int kInterrupts[] = {SIGINT, SIGTERM, SIGHUP};
struct sigaction before[std::size(kInterrupts)];  // a handler of the command's own runs next

// SIGTERM to each leader first (a test run's outer process then kills its
// namespace and removes what it made outside), waited for; then SIGKILL to
// each group, for anything of it still there (a compiler's children).
std::atomic<bool> interrupted{false};

void on_interrupt(int sig) {
  interrupted = true;
  for (auto& r : running)
    if (pid_t p = r.load(); p > 0) ::kill(p, SIGTERM);
  for (auto& r : running)
    if (pid_t p = r.load(); p > 0) ::waitpid(p, nullptr, 0);
  for (auto& r : running)
    if (pid_t p = r.load(); p > 0) ::kill(-p, SIGKILL);
  for (std::size_t i = 0; i < std::size(kInterrupts); ++i)
    if (kInterrupts[i] == sig && before[i].sa_handler != SIG_DFL && before[i].sa_handler != SIG_IGN) {
      before[i].sa_handler(sig);
      return;
    }
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

void handle_interrupts_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction sa {};
    sa.sa_handler = on_interrupt;
    ::sigemptyset(&sa.sa_mask);
    for (std::size_t i = 0; i < std::size(kInterrupts); ++i)
      ::sigaction(kInterrupts[i], &sa, &before[i]);
  });
}

// Holds @p pid in `running` for its lifetime.
class tracked {
 public:
  explicit tracked(pid_t pid) {
    for (auto& r : running) {
      pid_t empty = 0;
      if (r.compare_exchange_strong(empty, pid)) {
        slot_ = &r;
        return;
      }
    }
  }
  ~tracked() {
    if (slot_ != nullptr) slot_->store(0);
  }
  tracked(const tracked&) = delete;
  tracked& operator=(const tracked&) = delete;

 private:
  std::atomic<pid_t>* slot_ = nullptr;
};

// posix_spawn: stdin /dev/null, stdout and stderr to the pipes, a process
// group of its own, default signal handling, nothing else inherited.
pid_t spawn(const std::vector<std::string>& argv, int out, int err) {
  posix_spawn_file_actions_t files;
  posix_spawnattr_t attr;
  check_posix(::posix_spawn_file_actions_init(&files), "posix_spawn_file_actions_init()");
  check_posix(::posix_spawnattr_init(&attr), "posix_spawnattr_init()");
  ::posix_spawn_file_actions_addopen(&files, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  ::posix_spawn_file_actions_adddup2(&files, out, STDOUT_FILENO);
  ::posix_spawn_file_actions_adddup2(&files, err, STDERR_FILENO);
  sigset_t defaults, none;
  ::sigemptyset(&none);
  ::sigemptyset(&defaults);
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE}) ::sigaddset(&defaults, sig);
  ::posix_spawnattr_setsigdefault(&attr, &defaults);
  ::posix_spawnattr_setsigmask(&attr, &none);
  ::posix_spawnattr_setpgroup(&attr, 0);
  ::posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF |
                                        POSIX_SPAWN_SETSIGMASK);
  auto args = c_argv(argv);
  pid_t pid = -1;
  int rc = ::posix_spawnp(&pid, args[0], &files, &attr, args.data(), environ);
  ::posix_spawn_file_actions_destroy(&files);
  ::posix_spawnattr_destroy(&attr);
  check_posix(rc, "posix_spawnp(" + argv[0] + ")");
  return pid;
}

std::vector<std::string> behind(const fence::policy& p, const std::vector<std::string>& argv) {
  std::vector<std::string> out{IPCLAB_FENCE_PROGRAM};
  auto args = fence::to_args(p);
  out.insert(out.end(), args.begin(), args.end());
  out.insert(out.end(), argv.begin(), argv.end());
  return out;
}

}  // namespace

run_result run_program(const std::vector<std::string>& argv, std::chrono::seconds limit,
                       bool merge_stderr, const fence::policy* fence) {
  handle_interrupts_once();
  // Interrupted: this process is about to end; start nothing more (a
  // thread of `grade` would otherwise run the next program).
  while (interrupted) ::pause();
  auto out = make_pipe(O_CLOEXEC);
  auto err = make_pipe(O_CLOEXEC);
  pid_t pid = spawn(fence != nullptr ? behind(*fence, argv) : argv, out.write_end.get(),
                    merge_stderr ? out.write_end.get() : err.write_end.get());
  tracked guard(pid);
  out.write_end.reset();
  err.write_end.reset();
  run_result r;
  auto deadline = std::chrono::steady_clock::now() + limit;
  std::string* sinks[] = {&r.out, &r.err};
  pollfd fds[] = {{out.read_end.get(), POLLIN, 0}, {err.read_end.get(), POLLIN, 0}};
  int open_count = 2;
  while (open_count > 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      r.timed_out = true;
      ::kill(-pid, SIGKILL);
      break;
    }
    if (::poll(fds, 2, static_cast<int>(left.count())) < 0 && errno != EINTR)
      throw_errno(errno, "poll()");
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      char buf[65536];
      ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
      if (n > 0) sinks[i]->append(buf, static_cast<std::size_t>(n));
      else if (n == 0 || errno != EINTR) {
        fds[i].fd = -1;
        --open_count;
      }
    }
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  r.exit_code = decode(status);
  if (fence != nullptr && r.exit_code == fence::kRefused) {
    const std::string& said = merge_stderr ? r.out : r.err;
    if (auto at = said.find("ipclab-fence: refused: "); at != std::string::npos)
      throw fence_refused(said.substr(at, said.find('\n', at) - at));
  }
  return r;
}

int run_interactive(const std::vector<std::string>& argv) {
  pid_t pid = check_unix(::fork(), "fork()");
  if (pid == 0) exec_or_127(argv);
  // The child shares our terminal: let it take ^C, and wait for it.
  struct sigaction ignore {}, old_int {}, old_quit {};
  ignore.sa_handler = SIG_IGN;
  ::sigaction(SIGINT, &ignore, &old_int);
  ::sigaction(SIGQUIT, &ignore, &old_quit);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  ::sigaction(SIGINT, &old_int, nullptr);
  ::sigaction(SIGQUIT, &old_quit, nullptr);
  return decode(status);
}

}  // namespace ipclab::cli
