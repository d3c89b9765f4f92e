// demo-popen: popen in both directions, then a coprocess over two pipes.
//
// Part 1 reads a filter's output through popen("r"). Part 2 feeds a pager
// through popen("w"). Part 3 drives APUE's add2 as a coprocess over two
// pipes: first with its stdout line buffered, then with stdio's default full
// buffering, to show the coprocess deadlock (broken here by a time limit
// and end-of-file).
//
// Run it:  ./ipclab demo popen          (add --trace to see the fd tables)
#include <poll.h>
#include <stdio.h>
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

std::string describe(int status) {
  if (WIFEXITED(status)) return "exited with " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return std::string("killed by ") + sigabbrev_np(WTERMSIG(status));
  return "status " + std::to_string(status);
}

void read_from_filter() {
  narrate("part 1: popen(\"r\") runs `sort` and hands us its output as a FILE*");
  //! [popen-read]
  FILE* fp = popen("printf 'pear\\napple\\nfig\\n' | sort", "r");
  if (fp == nullptr) die_errno("popen(sort, r)");
  trace_fds("popen(\"r\")");  // one new descriptor: the read end of the pipe
  char line[128];
  while (fgets(line, sizeof line, fp) != nullptr)
    narrate(std::string("read from sort: ") + std::strtok(line, "\n"));
  if (ferror(fp)) die_errno("fgets()");
  int status = pclose(fp);  // closes the stream, then waits for the shell
  if (status < 0) die_errno("pclose()");
  //! [popen-read]
  narrate("pclose returned the shell's status: " + describe(status));
}

void write_to_pager() {
  const char* pager = std::getenv("PAGER");
  bool interactive = isatty(STDOUT_FILENO) && std::getenv("IPCLAB_NONINTERACTIVE") == nullptr;
  if (!interactive) pager = "cat";
  else if (pager == nullptr || *pager == '\0') pager = "more";
  narrate(std::string("part 2: popen(\"w\") starts `") + pager + "`; what we write is its stdin");
  //! [popen-pager]
  FILE* fp = popen(pager, "w");
  if (fp == nullptr) die_errno("popen(pager, w)");
  for (int i = 1; i <= 5; ++i)
    if (fprintf(fp, "line %d, written to a FILE* that is a pipe into the pager\n", i) < 0)
      die_errno("fprintf()");
  int status = pclose(fp);  // flushes, closes (the pager sees EOF), waits
  if (status < 0) die_errno("pclose()");
  //! [popen-pager]
  narrate("the pager " + describe(status));
}

struct coprocess {
  pid_t pid;
  unique_fd to;    // its stdin
  unique_fd from;  // its stdout
};

// The coprocess: APUE's add2 filter, written with stdio. This same program
// runs it (`demo-popen add2 full|line`), so each start gets fresh stdio.
int add2(bool line_buffered) {
  //! [add2]
  if (line_buffered && setvbuf(stdout, nullptr, _IOLBF, 0) != 0) die("setvbuf()");
  char line[128];
  while (fgets(line, sizeof line, stdin) != nullptr) {
    int a = 0, b = 0;
    if (sscanf(line, "%d%d", &a, &b) == 2) printf("%d\n", a + b);
    else printf("invalid args\n");
  }
  //! [add2]
  return 0;
}

//! [coprocess-start]
coprocess start(const char* buffering) {
  auto [in_read, in_write] = make_pipe();    // we write, add2 reads
  auto [out_read, out_write] = make_pipe();  // add2 writes, we read
  pid_t pid = fork();
  if (pid < 0) die_errno("fork()");
  if (pid == 0) {
    if (dup2(in_read.get(), STDIN_FILENO) < 0 || dup2(out_write.get(), STDOUT_FILENO) < 0)
      child_die_errno("dup2()");
    in_read.reset();  // only fds 0 and 1 may stay: a stray write end of
    in_write.reset();  // its own stdin would hide end-of-file from add2
    out_read.reset();
    out_write.reset();
    execl("/proc/self/exe", "add2", "add2", buffering, static_cast<char*>(nullptr));
    child_die_errno("execl(add2)");
  }
  return {pid, std::move(in_write), std::move(out_read)};  // the other ends close here
}
//! [coprocess-start]

void send(const coprocess& co, const std::string& line) {
  narrate("sent: " + line);
  std::string text = line + "\n";
  if (writen(co.to.get(), text.data(), text.size()) < 0) die_errno("write(coprocess)");
}

// Waits up to @p ms for an answer; false when none came in time.
bool answer_within(const coprocess& co, int ms) {
  pollfd p{co.from.get(), POLLIN, 0};
  int n = poll(&p, 1, ms);
  if (n < 0) die_errno("poll()");
  if (n == 0) return false;
  char buf[128];
  ssize_t got = read(co.from.get(), buf, sizeof buf - 1);
  if (got < 0) die_errno("read(coprocess)");
  buf[got] = '\0';
  narrate(std::string("answer: ") + std::strtok(buf, "\n"));
  return true;
}

void stop(coprocess& co) {
  co.to.reset();  // end-of-file on add2's stdin: it flushes and exits
  int status = wait_child(co.pid);
  co.from.reset();
  narrate("add2 " + describe(status));
}

void coprocesses() {
  narrate("part 3: add2 as a coprocess, adding two numbers per line, its stdout line buffered");
  //! [coprocess-good]
  coprocess good = start("line");
  trace_fds("the coprocess started");
  for (const char* line : {"1 2", "40 2"}) {
    send(good, line);
    if (!answer_within(good, 5000)) die("add2 did not answer");
  }
  stop(good);
  //! [coprocess-good]

  narrate("now add2 with stdio's default: its stdout is a pipe, so it is fully buffered");
  //! [coprocess-deadlock]
  coprocess silent = start("full");
  send(silent, "20 22");
  if (!answer_within(silent, 500))  // a real program would block here forever
    narrate("no answer after 500 ms: add2 holds it in its buffer while we wait -- deadlock");
  silent.to.reset();  // end-of-file ends add2's loop, and exit() flushes
  if (!answer_within(silent, 5000)) die("add2 never flushed");
  //! [coprocess-deadlock]
  stop(silent);
}

}  // namespace

int main(int argc, char* argv[]) {
  if (argc == 3 && std::strcmp(argv[1], "add2") == 0) return add2(std::strcmp(argv[2], "line") == 0);
  read_from_filter();
  write_to_pager();
  coprocesses();
  narrate("done: every stream closed, every child waited for");
  return 0;
}
