// demo-mmap: parent and child take turns incrementing one counter in memory
// they share (APUE 15.9, figure 15.33). The region comes first from mapping
// /dev/zero MAP_SHARED, then from MAP_SHARED | MAP_ANONYMOUS; a MAP_PRIVATE
// region shows last what "not shared" looks like. The turns are handed over
// with pipes, as chapter 01's TELL_WAIT does.
//
// Run it:  ./ipclab demo mmap [--trace]     (--trace shows the fd table)
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

#include "ipclab/die.hpp"
#include "ipclab/reap.hpp"
#include "ipclab/fd_factory.hpp"
#include "ipclab/io.hpp"
#include "ipclab/trace.hpp"

namespace {

using ipclab::narrate;

constexpr int turns = 3;

// Chapter 01's TELL_WAIT cut down to one object: a pipe per direction, one
// byte per hand-over. Create it before fork(); each side then drops the ends
// it does not use.
class tell_wait {
public:
  void child_side() {
    in_child_ = true;
    to_child_.write_end.reset();
    to_parent_.read_end.reset();
  }
  void parent_side() {
    to_child_.read_end.reset();
    to_parent_.write_end.reset();
  }
  void TELL_PARENT() { send(to_parent_.write_end); }
  void WAIT_PARENT() { receive(to_child_.read_end); }
  void TELL_CHILD() { send(to_child_.write_end); }
  void WAIT_CHILD() { receive(to_parent_.read_end); }

private:
  void send(const ipclab::unique_fd& fd) {
    if (ipclab::writen(fd.get(), "t", 1) != 1) fail("write(turn)");
  }
  void receive(const ipclab::unique_fd& fd) {
    char c;
    if (ipclab::readn(fd.get(), &c, 1) != 1) fail("read(turn): the other process is gone");
  }
  [[noreturn]] void fail(const char* what) const {
    if (in_child_) ipclab::child_die_errno(what);
    ipclab::die_errno(what);
  }
  ipclab::pipe_ends to_child_ = ipclab::make_pipe();
  ipclab::pipe_ends to_parent_ = ipclab::make_pipe();
  bool in_child_ = false;
};

void* checked_mmap(int flags, int fd, const char* what) {
  void* area = mmap(nullptr, sizeof(long), PROT_READ | PROT_WRITE, flags, fd, 0);
  if (area == MAP_FAILED) ipclab::die_errno(what);  // MAP_FAILED, never nullptr
  return area;
}

//! [dev-zero]
long* map_dev_zero() {
  ipclab::unique_fd zero(open("/dev/zero", O_RDWR));
  if (!zero) ipclab::die_errno("open(/dev/zero)");
  void* area = checked_mmap(MAP_SHARED, zero.get(), "mmap(/dev/zero, MAP_SHARED)");
  return static_cast<long*>(area);  // zero closes here; the mapping stays
}
//! [dev-zero]

//! [anonymous]
long* map_anonymous() {
  void* area = checked_mmap(MAP_SHARED | MAP_ANONYMOUS, -1, "mmap(MAP_SHARED | MAP_ANONYMOUS)");
  return static_cast<long*>(area);
}
//! [anonymous]

void increment(volatile long* counter, const char* who) {
  long before = *counter;
  *counter = before + 1;
  narrate(std::string(who) + ": counter " + std::to_string(before) + " -> " + std::to_string(before + 1));
}

pid_t checked_fork() {
  pid_t pid = fork();
  if (pid < 0) ipclab::die_errno("fork()");
  return pid;
}

//! [alternate]
void alternate(volatile long* counter) {
  tell_wait tw;  // before fork(): both processes need the pipes
  pid_t pid = checked_fork();
  if (pid == 0) {
    tw.child_side();
    for (int i = 0; i < turns; ++i) {
      tw.WAIT_PARENT();  // the parent goes first
      increment(counter, "child ");
      tw.TELL_PARENT();
    }
    _exit(0);
  }
  tw.parent_side();
  for (int i = 0; i < turns; ++i) {
    increment(counter, "parent");
    tw.TELL_CHILD();
    tw.WAIT_CHILD();  // the child's store is visible once it tells us
  }
  ipclab::reap_child(pid);
}
//! [alternate]

void unmap(volatile long* counter) {
  if (munmap(const_cast<long*>(counter), sizeof(long)) < 0) ipclab::die_errno("munmap()");
}

//! [private]
void show_private() {
  auto* counter = static_cast<volatile long*>(
      checked_mmap(MAP_PRIVATE | MAP_ANONYMOUS, -1, "mmap(MAP_PRIVATE | MAP_ANONYMOUS)"));
  pid_t pid = checked_fork();
  if (pid == 0) {
    increment(counter, "child ");  // writes the child's own copy of the page
    _exit(0);
  }
  ipclab::reap_child(pid);
  narrate("parent: after the child's increment the parent reads " + std::to_string(*counter));
  unmap(counter);
}
//! [private]

}  // namespace

int main() {
  narrate("1. map /dev/zero MAP_SHARED: a zero-filled region, inherited across fork");
  volatile long* counter = map_dev_zero();
  ipclab::trace_fds("mapping /dev/zero and closing it");
  alternate(counter);
  narrate("parent: final counter " + std::to_string(*counter) + " (" + std::to_string(2 * turns) +
          " increments, none lost)");
  unmap(counter);

  narrate("2. the same with MAP_ANONYMOUS: no file to open at all");
  counter = map_anonymous();
  alternate(counter);
  narrate("parent: final counter " + std::to_string(*counter));
  unmap(counter);

  narrate("3. MAP_PRIVATE for contrast: fork copies the page on the first write");
  show_private();
  return 0;
}
