/// @file sandbox.hpp
/// @brief Run student code in a forked, limited child and observe it from outside.
///
/// The trusted test process never loads the student's module. Each
/// sandbox::call() forks a child, which loads the module, runs the test's
/// body (which calls student functions through STUDENT()) and reports the
/// body's return value and errno. The parent enforces the limits and then
/// inspects, from /proc and /proc/sysvipc, what the call left behind: open
/// descriptors, children and zombies, XSI IPC objects, files in /tmp and
/// /dev/shm. Then every process of the call is killed and everything it left
/// is removed, so the next test starts clean.
///
/// Data moves between parent and call through input_pipe / output_pipe (fed
/// and drained concurrently by the parent, so a call may move more than a
/// pipe holds) and through child::send().
#pragma once

#include <signal.h>
#include <sys/types.h>

#include <cerrno>
#include <chrono>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace ipclab::sandbox {

using namespace std::chrono_literals;

/// A signal the parent delivers once, at the moment a process of the call is
/// blocked in one of @p syscalls (as /proc/PID/syscall shows it), to check
/// that the student's code resumes after EINTR. The body must first make the
/// signal interrupt rather than kill: see interruptible(). Whether it was
/// delivered is result::interrupted.
struct interrupt_plan {
  std::vector<long> syscalls;  ///< SYS_wait4, SYS_semtimedop...; empty: no interruption
  std::string process;         ///< the comm of the process to watch; empty: the call process
  int signal = SIGUSR1;        ///< what to deliver
};

/// Limits of one call. Exceeding one ends the call as a failed outcome.
struct limits {
  std::chrono::milliseconds wall = 5s;      ///< then SIGKILL, ending::timed_out
  std::size_t output_cap = 64 * 1024;        ///< kept of stdout and of stderr each
  std::size_t output_flood = 8 << 20;        ///< more output than this: ending::flooded
  int max_processes = 64;                    ///< processes a call may have (RLIMIT_NPROC, plus
                                             ///< what its user already runs when there are no
                                             ///< namespaces; the supervisor counts its own)
  int max_files = 256;                       ///< RLIMIT_NOFILE
  interrupt_plan interrupt{};                ///< a signal to deliver while the call is blocked
};

/// A pipe the parent writes @p data into while the call runs, then closes
/// (the call's reader sees end-of-file once the data is consumed).
class input_pipe {
public:
  explicit input_pipe(std::string data);
  ~input_pipe();
  input_pipe(const input_pipe&) = delete;
  input_pipe& operator=(const input_pipe&) = delete;
  /// The read end, as numbered inside the call.
  int fd() const noexcept { return child_fd_; }
  /// Bytes the call consumed before it ended.
  std::size_t written() const noexcept { return written_; }

private:
  friend class call_engine;
  std::string data_;
  std::size_t written_ = 0;
  int child_fd_ = -1;
  int parent_fd_ = -1;
};

/// A pipe the parent drains while the call runs; the call writes to fd().
class output_pipe {
public:
  output_pipe();
  ~output_pipe();
  output_pipe(const output_pipe&) = delete;
  output_pipe& operator=(const output_pipe&) = delete;
  /// The write end, as numbered inside the call.
  int fd() const noexcept { return child_fd_; }
  /// Everything read from the pipe (complete once call() returned).
  const std::string& data() const noexcept { return data_; }

private:
  friend class call_engine;
  std::string data_;
  std::size_t seen_ = 0;  ///< bytes read, kept or not
  int child_fd_ = -1;
  int parent_fd_ = -1;
};

/// A pipe handed to call(): either kind above.
struct pipe_ref {
  pipe_ref(input_pipe& p) noexcept : in(&p) {}    // NOLINT: implicit on purpose
  pipe_ref(output_pipe& p) noexcept : out(&p) {}  // NOLINT: implicit on purpose
  input_pipe* in = nullptr;
  output_pipe* out = nullptr;
};

/// Inside the call: the body's way to talk to the parent.
class child {
public:
  /// Sends @p bytes to the parent; they appear in result::messages, in order.
  void send(std::string_view bytes);
};

/// How a call ended.
enum class ending {
  returned,   ///< the body returned (value and error are meaningful)
  exited,     ///< the call process exited (exit()/_exit() in student code)
  signaled,   ///< the call process was killed by a signal (a crash)
  timed_out,  ///< the wall-clock limit passed
  deadlocked, ///< every process waited on another, none could move: stopped early (detail: who waits for whom)
  flooded,    ///< more output than limits::output_flood
  load_failed,///< the module failed to load, or lacks a function
  threw,      ///< the body threw an exception (a harness or test error)
  out_of_memory,///< bad_alloc, or the OOM killer acting in the call's memory cgroup
  too_many_processes,///< the call kept about limits::max_processes running (detail: how many)
  tampered,   ///< bytes not of the harness's making reached its result channel
};

/// One open descriptor of a process, as /proc shows it.
struct fd_entry {
  int fd;
  std::string target;  ///< e.g. "pipe:[41872]", "/tmp/x", "socket:[9]"
  std::string access;  ///< "read", "write" or "read/write"
};

/// A process left behind by the call.
struct process_entry {
  pid_t pid;
  char state;           ///< 'Z' for a zombie
  std::string command;  ///< its comm, e.g. "cat"
};

/// An XSI IPC object.
struct ipc_entry {
  std::string kind;  ///< "message queue", "semaphore set", "shared memory segment"
  int id;
  long key;
  unsigned mode;     ///< permission bits
  uid_t owner;
};

/// What one call did and left behind.
struct result {
  ending how = ending::threw;
  long value = 0;           ///< what the body returned
  int error = 0;            ///< errno when the body returned
  int status = 0;           ///< wait status of the call process, when it ended
  std::string out, err;     ///< its stdout and stderr, up to limits::output_cap
  std::vector<std::string> messages;       ///< child::send() payloads
  std::vector<fd_entry> fds_left;          ///< open after the body that were not before
  std::vector<process_entry> children_left;///< children of the call process (incl. zombies)
  std::vector<ipc_entry> ipc_left;         ///< XSI objects that appeared during the call
  std::vector<std::string> files_left;     ///< entries that appeared in /tmp or /dev/shm, and POSIX queues as /dev/mqueue/NAME
  std::string detail;       ///< load error, exception text, or timeout diagnosis
  std::chrono::milliseconds elapsed{0};
  bool interrupted = false; ///< limits::interrupt's signal was delivered in its system call

  bool returned() const noexcept { return how == ending::returned; }
  /// The call never finished: stopped as deadlocked, or at its time limit.
  bool hung() const noexcept { return how == ending::deadlocked || how == ending::timed_out; }
  /// A sentence on how the call ended, in a student's terms.
  std::string story() const;
};

/// A name for any signal number, as sigabbrev_np() spells it ("SEGV"), or
/// "RTMIN+1" for a real-time signal, or "signal 32" for one without a name;
/// never null, whatever the number.
std::string signal_name(int sig);

/// The body of a call: runs inside the child; its return value and the errno
/// it leaves become result::value and result::error.
using body = std::function<long(child&)>;

/// Forks a child, loads the student module there, runs @p fn with @p lim and
/// the @p pipes, and returns what happened. Never throws for anything the
/// student's code does; all processes of the call are gone on return.
result call(const body& fn, const limits& lim = {}, std::initializer_list<pipe_ref> pipes = {});

/// Shorthand: call(fn, {}, pipes).
inline result call(const body& fn, std::initializer_list<pipe_ref> pipes) {
  return call(fn, limits{}, pipes);
}

/// Inside a call only: the address of @p name in the student module. A
/// missing function ends the call as ending::load_failed, naming it.
void* student_symbol(const char* name);

/// Inside a call only: installs a handler for @p sig without SA_RESTART (in
/// this process, inherited by children it forks), so a system call blocked
/// when the signal comes fails with EINTR instead of restarting. The handler
/// runs @p release (async-signal-safe, or null): what the test held back so
/// that the call stays blocked until the signal (closing a pipe, posting a
/// semaphore), letting a call that retries finish.
void interruptible(void (*release)() = nullptr, int sig = SIGUSR1);

/// Inside a call only: a gate held shut until the interrupt. Makes a pipe
/// (both ends close-on-exec), calls interruptible() with a release that
/// closes the write end, and returns the read end: whatever reads it (a
/// command given it as stdin) sees end-of-file only once the signal came.
/// -1 with errno when pipe() fails.
int interrupt_gate(int sig = SIGUSR1);

/// Inside a call only: tells the parent, once per function and outcome, that
/// the student's @p name returned with errno ENOSYS (@p unwritten: still the
/// stub's answer) or without it.
void student_returned(const char* name, bool unwritten) noexcept;

/// A function's name as a template argument (STUDENT() passes #fn).
template <std::size_t N>
struct function_name {
  char text[N];
  constexpr function_name(const char (&s)[N]) {  // NOLINT: implicit on purpose
    for (std::size_t i = 0; i < N; ++i) text[i] = s[i];
  }
};

/// The student's function @p F named @p Name, typed as the contract
/// declares it. Each call notes whether it still fails with the stub's
/// ENOSYS (see student_returned()); it converts to a plain function pointer
/// that notes the same.
template <class F, function_name Name>
struct student_function;

template <class R, class... A, function_name Name>
struct student_function<R(A...), Name> {
  using pointer = R (*)(A...);

  R operator()(A... args) const { return call(args...); }
  operator pointer() const noexcept { return &call; }  // NOLINT: implicit on purpose

  static R call(A... args) {
    auto fn = reinterpret_cast<pointer>(student_symbol(Name.text));
    errno = 0;
    if constexpr (std::is_void_v<R>) {
      fn(args...);
      noted();
    } else {
      R r = fn(args...);
      noted();
      return r;
    }
  }

private:
  static void noted() noexcept {
    int e = errno;
    student_returned(Name.text, e == ENOSYS);
    errno = e;
  }
};

}  // namespace ipclab::sandbox

/// Calls the student's implementation of a contract function, by name:
/// `STUDENT(run_pipeline)(cmds, n, in, out)`. Only inside sandbox::call().
#define STUDENT(fn) (::ipclab::sandbox::student_function<decltype(::fn), #fn>{})
