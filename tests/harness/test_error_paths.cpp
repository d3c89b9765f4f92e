// The harness's error paths, provoked for real: a call that cannot be set up
// leaks no descriptor, and a call whose observation fails leaves no process.
//
// Nothing is injected: the runner's own RLIMIT_NOFILE makes the second
// pipe2() of the call's setup fail (EMFILE), and, lowered while a call runs,
// makes the runner's poll() fail (EINVAL: more descriptors watched than the
// limit). Each test fails when the protection is taken out of call.cpp: the
// owning pipe ends (a raw pipe2() leaks the first pipe), and the sweep on the
// way out of an exception (the call's processes stay alive).
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <system_error>

#include <catch2/catch.hpp>

#include "ipclab/isolation.hpp"
#include "ipclab/sandbox.hpp"
#include "selftest_module.hpp"

namespace sandbox = ipclab::sandbox;
namespace isolation = ipclab::isolation;
using namespace std::chrono_literals;

namespace {

std::size_t open_descriptors() {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator("/proc/self/fd")) ++n;
  return n - 1;  // the iterator's own
}

bool is_open(int fd) { return ::fcntl(fd, F_GETFD) != -1; }

// The limit under which exactly @p free more descriptors can be opened.
rlim_t limit_leaving(int free) {
  int fd = 0;
  for (int left = free; left > 0; ++fd)
    if (!is_open(fd)) --left;
  return static_cast<rlim_t>(fd);
}

// Sets RLIMIT_NOFILE's soft limit, keeping the hard one; returns the old soft limit.
rlim_t set_soft_fd_limit(rlim_t soft) {
  rlimit lim{};
  ::getrlimit(RLIMIT_NOFILE, &lim);
  rlim_t old = lim.rlim_cur;
  lim.rlim_cur = soft;
  REQUIRE(::setrlimit(RLIMIT_NOFILE, &lim) == 0);
  return old;
}

// Kills and reaps what a failed test left, so that it fails alone.
void kill_leftovers() {
  for (const auto& p : isolation::call_processes()) ::kill(p.pid, SIGKILL);
  while (::waitpid(-1, nullptr, 0) > 0) {
  }
}

// Output pipes handed to the call below: the runner polls 4 + kPipes
// descriptors; after the fork their kPipes child ends are closed, so the
// runner (and a sweep that reads /proc) still has descriptors to open below
// a limit of 3 + kPipes.
constexpr int kPipes = 8;
constexpr rlim_t kBelowPolled = 3 + kPipes;

// SIGCHLD for the call process's stop: from then on the runner watches more
// descriptors than it may have, and its next poll() fails.
void lower_limit_on_stop(int, siginfo_t* info, void*) {
  if (info->si_code != CLD_STOPPED) return;
  rlimit lim{};
  ::getrlimit(RLIMIT_NOFILE, &lim);
  lim.rlim_cur = kBelowPolled;
  ::setrlimit(RLIMIT_NOFILE, &lim);
}

}  // namespace

TEST_CASE("a call whose setup fails after its first pipe leaks no descriptor", "[error-path]") {
  std::size_t before = open_descriptors();
  // Room for one pipe and one descriptor more: the call's second pipe2() fails.
  rlim_t old = set_soft_fd_limit(limit_leaving(3));
  bool threw = false;
  try {
    sandbox::call([](sandbox::child&) -> long { return STUDENT(selftest_answer)(); });
  } catch (const std::system_error& e) {
    threw = e.code() == std::errc::too_many_files_open;
  }
  set_soft_fd_limit(old);
  REQUIRE(threw);
  CHECK(open_descriptors() == before);
}

TEST_CASE("a call whose observation fails leaves none of its processes running", "[error-path]") {
  struct sigaction on_stop {}, old_action{};
  on_stop.sa_sigaction = lower_limit_on_stop;
  on_stop.sa_flags = SA_SIGINFO | SA_RESTART;
  ::sigaction(SIGCHLD, &on_stop, &old_action);
  rlimit old_limit{};
  ::getrlimit(RLIMIT_NOFILE, &old_limit);

  sandbox::output_pipe o[kPipes];
  bool threw = false;
  try {
    sandbox::call([](sandbox::child&) -> long {
      if (STUDENT(selftest_answer)() != 42 || ::fork() == 0) ::pause();  // a second process of the call
      ::raise(SIGSTOP);  // tells the runner, which then fails
      ::pause();
      return 0;
    }, {.wall = 30s}, {o[0], o[1], o[2], o[3], o[4], o[5], o[6], o[7]});
  } catch (const std::system_error& e) {
    threw = e.code() == std::errc::invalid_argument;
  }
  ::setrlimit(RLIMIT_NOFILE, &old_limit);
  ::sigaction(SIGCHLD, &old_action, nullptr);
  auto left = isolation::call_processes();
  kill_leftovers();
  REQUIRE(threw);
  CHECK(left.empty());
}
