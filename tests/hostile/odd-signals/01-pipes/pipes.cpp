// Hostile fill-in: each function dies of a signal nothing in the system
// sends on its own — real-time ones, a number glibc keeps for itself, and
// rare classic ones — so the checker must name every signal number.
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "pipes.hpp"
namespace {
int die_of(int sig) {
  ::syscall(SYS_kill, ::getpid(), sig);  // not raise(): glibc refuses its own numbers
  return -1;
}
}  // namespace
int run_pipeline(const char* const* const[], int, int, int) { return die_of(SIGRTMIN + 1); }
int TELL_WAIT(void) { return die_of(SIGRTMAX); }
int TELL_PARENT(pid_t) { return die_of(32); }
int WAIT_PARENT(void) { return die_of(SIGSTKFLT); }
int TELL_CHILD(pid_t) { return die_of(SIGPWR); }
int WAIT_CHILD(void) { return die_of(SIGRTMIN + 7); }
