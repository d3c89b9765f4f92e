// Feeding text to a pager over a pipe.
#include "pager.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>

#include <fmt/format.h>

#include "ipclab/check.hpp"
#include "ipclab/fd_factory.hpp"
#include "ipclab/io.hpp"

namespace ipclab::cli {

void page(const std::string& text) {
  const char* pager = std::getenv("PAGER");
  if (pager == nullptr || *pager == '\0') pager = "less -R";
  if (!::isatty(STDOUT_FILENO) || std::string(pager) == "cat") {
    fmt::print("{}", text);
    return;
  }
  std::fflush(stdout);
  auto [read_end, write_end] = make_pipe();
  pid_t pid = check_unix(::fork(), "fork()");
  if (pid == 0) {
    if (::dup2(read_end.get(), STDIN_FILENO) < 0) ::_exit(127);
    read_end.reset();
    write_end.reset();
    ::execl("/bin/sh", "sh", "-c", pager, static_cast<char*>(nullptr));
    ::_exit(127);
  }
  read_end.reset();
  // The reader may quit before the end (q in less): a write then fails
  // with EPIPE instead of killing us. ^C belongs to the pager meanwhile.
  struct sigaction ignore {}, old_pipe {}, old_int {};
  ignore.sa_handler = SIG_IGN;
  ::sigaction(SIGPIPE, &ignore, &old_pipe);
  ::sigaction(SIGINT, &ignore, &old_int);
  [[maybe_unused]] ssize_t written = writen(write_end.get(), text.data(), text.size());
  write_end.reset();
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  ::sigaction(SIGPIPE, &old_pipe, nullptr);
  ::sigaction(SIGINT, &old_int, nullptr);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
    fmt::print(stderr, "ipclab: the pager `{}` could not run; here is the text plainly\n", pager);
    fmt::print("{}", text);
  }
}

}  // namespace ipclab::cli
