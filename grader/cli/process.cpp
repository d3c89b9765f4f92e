// Spawning helper programs: the compiler, the test runner, demos, pagers.
#include "process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "ipclab/check.hpp"
#include "ipclab/fd_factory.hpp"

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

}  // namespace

run_result run_program(const std::vector<std::string>& argv, std::chrono::seconds limit,
                       bool merge_stderr, const std::function<void()>& in_child) {
  auto out = make_pipe(O_CLOEXEC);
  auto err = make_pipe(O_CLOEXEC);
  pid_t pid = check_unix(::fork(), "fork()");
  if (pid == 0) {
    ::setpgid(0, 0);
    int null = ::open("/dev/null", O_RDONLY);
    ::dup2(null, STDIN_FILENO);
    ::dup2(out.write_end.get(), STDOUT_FILENO);
    ::dup2(merge_stderr ? out.write_end.get() : err.write_end.get(), STDERR_FILENO);
    if (in_child) in_child();
    exec_or_127(argv);
  }
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
