// demo-pipes: a pipe from parent to child, then a pipe into a pager.
//
// Part 1 sends a line from the parent to its child over a pipe and shows
// why each process closes the end it does not use. Part 2 does what a shell
// does for `demo | $PAGER`: the child becomes the pager, reading the pipe
// as its standard input.
//
// Run it:  ./ipclab demo pipes          (add --trace to see the fd tables)
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <string>

#include "ipclab/die.hpp"
#include "ipclab/reap.hpp"
#include "ipclab/fd_factory.hpp"
#include "ipclab/io.hpp"
#include "ipclab/trace.hpp"

using namespace ipclab;

namespace {

void wait_for(pid_t pid, const char* who) {
  narrate(std::string(who) + " ended with status " + std::to_string(WEXITSTATUS(wait_child(pid))));
}

void parent_to_child() {
  narrate("part 1: the parent writes a line, the child reads it");
  //! [parent-to-child]
  int fds[2];
  if (pipe(fds) < 0) die_errno("pipe()");  // fds[0] reads, fds[1] writes
  trace_fds("pipe()");
  pid_t pid = fork();
  if (pid < 0) die_errno("fork()");
  if (pid == 0) {                            // child: reads only
    close(fds[1]);                           // else its own write end would hide end-of-file
    trace_fds("the child closed its write end");
    char buf[128];
    ssize_t n;
    while ((n = read(fds[0], buf, sizeof buf)) > 0)
      narrate("child read " + std::to_string(n) + " bytes: " + std::string(buf, static_cast<size_t>(n) - 1));
    if (n < 0) child_die_errno("read()");
    narrate("child saw end-of-file: every write end is closed");
    _exit(0);
  }
  close(fds[0]);                             // parent: writes only
  trace_fds("the parent closed its read end");
  const char line[] = "hello from the parent\n";
  if (writen(fds[1], line, std::strlen(line)) < 0) die_errno("write()");
  close(fds[1]);                             // the child's read now returns 0
  //! [parent-to-child]
  wait_for(pid, "child");
}

void into_pager() {
  // $PAGER on a terminal; plain cat when nobody is there to page.
  const char* pager = std::getenv("PAGER");
  bool interactive = isatty(STDOUT_FILENO) && std::getenv("IPCLAB_NONINTERACTIVE") == nullptr;
  if (!interactive || pager == nullptr || *pager == '\0') pager = "cat";
  narrate(std::string("part 2: the child becomes `") + pager + "`, reading our pipe as stdin");
  auto [read_end, write_end] = make_pipe();
  //! [into-pager]
  pid_t pid = fork();
  if (pid < 0) die_errno("fork()");
  if (pid == 0) {
    if (dup2(read_end.get(), STDIN_FILENO) < 0) child_die_errno("dup2()");
    read_end.reset();                        // stdin is the read end now
    write_end.reset();                       // the pager must not hold a write end
    execlp("/bin/sh", "sh", "-c", pager, static_cast<char*>(nullptr));
    child_die_errno("execlp(sh)");
  }
  read_end.reset();
  for (int i = 1; i <= 5; ++i) {
    std::string text = "line " + std::to_string(i) + " went through the pipe into the pager\n";
    if (writen(write_end.get(), text.data(), text.size()) < 0) die_errno("write()");
  }
  write_end.reset();                         // end-of-file: the pager can finish
  //! [into-pager]
  wait_for(pid, "pager");
}

}  // namespace

int main() {
  parent_to_child();
  into_pager();
  narrate("done: no descriptor left open, every child waited for");
  return 0;
}
