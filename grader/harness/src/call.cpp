// sandbox::call(): fork the call, feed and drain it, watch the clock, observe, sweep.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <sstream>

#include "child_side.hpp"
#include "deadlock.hpp"
#include "diagnose.hpp"
#include "interrupt.hpp"
#include "ipclab/check.hpp"
#include "ipclab/isolation.hpp"
#include "ipclab/observe.hpp"
#include "ipclab/sandbox.hpp"
#include "records.hpp"
#include "unwritten.hpp"

namespace ipclab::sandbox {

/// The parent's side of one call: its descriptors, buffers and verdict.
class call_engine {
public:
  call_engine(const limits& lim, std::initializer_list<pipe_ref> pipes)
      : lim_(lim), pipes_(pipes) {}

  result run(const body& fn) {
    auto started = std::chrono::steady_clock::now();
    auto before = isolation::take();
    int result_p[2], release_p[2], out_p[2], err_p[2];
    check_unix(::pipe2(result_p, O_CLOEXEC), "pipe2()");
    check_unix(::pipe2(release_p, O_CLOEXEC), "pipe2()");
    check_unix(::pipe2(out_p, O_CLOEXEC), "pipe2()");
    check_unix(::pipe2(err_p, O_CLOEXEC), "pipe2()");
    long oom_before = isolation::memory_oom_kills();
    child_side::channels ch{result_p[1], release_p[0], out_p[1], err_p[1], {}};
    for (auto& p : pipes_) ch.keep.push_back(p.in ? p.in->child_fd_ : p.out->child_fd_);

    pid_ = check_unix(::fork(), "fork()");
    if (pid_ == 0) child_side::run(fn, lim_, ch);

    for (int fd : {result_p[1], release_p[0], out_p[1], err_p[1]}) ::close(fd);
    for (auto& p : pipes_) close_child_end(p);
    result_fd_ = result_p[0];
    release_fd_ = release_p[1];
    out_fd_ = out_p[0];
    err_fd_ = err_p[0];
    for (int fd : {result_fd_, out_fd_, err_fd_}) ::fcntl(fd, F_SETFL, O_NONBLOCK);
    pidfd_ = static_cast<int>(::syscall(SYS_pidfd_open, pid_, 0));

    watch(started + lim_.wall);
    if (r_.how == ending::returned) observe_leftovers();
    if (r_.how == ending::timed_out) r_.detail = diagnose_stuck(pid_);
    auto left = isolation::added(before, isolation::take());
    r_.ipc_left = left.ipc;
    r_.files_left = left.files;
    int status = isolation::sweep(pid_, left);
    if (status != -1 && !waited_) r_.status = status;
    if (killed_for_memory(oom_before)) r_.how = ending::out_of_memory;
    drain_all();
    for (int fd : {result_fd_, release_fd_, out_fd_, err_fd_, pidfd_}) ::close(fd);
    r_.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);
    return r_;
  }

private:
  static void close_child_end(pipe_ref& p) {
    int& fd = p.in ? p.in->child_fd_ : p.out->child_fd_;
    ::close(fd);
    fd = -1;
  }

  // Polls until the body reports, the process ends, or the clock runs out.
  void watch(std::chrono::steady_clock::time_point deadline) {
    interrupter planned(lim_.interrupt, pid_, r_.interrupted);
    while (!decided_) {
      std::vector<pollfd> fds{{result_fd_, POLLIN, 0}, {out_fd_, POLLIN, 0},
                              {err_fd_, POLLIN, 0}, {pidfd_, POLLIN, 0}};
      for (auto& p : pipes_) {
        if (p.in && p.in->parent_fd_ >= 0) fds.push_back({p.in->parent_fd_, POLLOUT, 0});
        if (p.out && p.out->parent_fd_ >= 0) fds.push_back({p.out->parent_fd_, POLLIN, 0});
      }
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) {
        decide(ending::timed_out);
        break;
      }
      auto tick = std::min(planned.next_wait(kTick), deadlock_.next_look(kTick));
      int wait_ms = static_cast<int>(std::min(left, tick).count());
      int n = ::poll(fds.data(), fds.size(), wait_ms);
      if (n < 0 && errno != EINTR) throw_errno(errno, "poll()");
      pump();
      if (fds[3].revents != 0 && !decided_) process_ended();
      if (n == 0 && !decided_) check_resources();
      // A wait the test will interrupt is not a deadlock until the signal came.
      bool interrupt_due = !lim_.interrupt.syscalls.empty() && !r_.interrupted;
      if (n == 0 && !decided_ && !interrupt_due && deadlock_.stuck(pid_, r_.detail))
        decide(ending::deadlocked);
    }
  }

  // Checked whenever the call has been quiet for a tick. A call that holds
  // (nearly) as many processes as it may, tick after tick, is forking in a
  // loop; one whose processes together hold more memory than a call may use
  // is stopped as out of memory (the memory cgroup, where there is one, acts
  // first). Either is ended now rather than at its time limit.
  static constexpr std::chrono::milliseconds kTick{250};
  static constexpr int kTicksAtLimit = 3;
  void check_resources() {
    auto running = isolation::call_processes(pid_);
#if !defined(__SANITIZE_ADDRESS__)  // its shadow memory would count
    long pages = 0;
    for (const auto& p : running) pages += p.own_pages;
    long limit_pages = static_cast<long>(child_side::kMemoryLimitMiB) * (1024 * 1024 / ::getpagesize());
    if (pages > limit_pages) {
      decide(ending::out_of_memory);
      return;
    }
#endif
    bool at_limit = running.size() * 4 >= static_cast<std::size_t>(lim_.max_processes) * 3;
    ticks_at_limit_ = at_limit ? ticks_at_limit_ + 1 : 0;
    if (ticks_at_limit_ >= kTicksAtLimit) {
      r_.detail = std::to_string(running.size());
      decide(ending::too_many_processes);
    }
  }

  // Moves whatever is ready: records in, output in, input out.
  void pump() {
    read_some(result_fd_, inbox_, SIZE_MAX);
    while (auto rec = records::take(inbox_)) handle(*rec);
    read_some(out_fd_, r_.out, lim_.output_cap, &out_seen_);
    read_some(err_fd_, r_.err, lim_.output_cap, &out_seen_);
    for (auto& p : pipes_) {
      if (p.out) read_some(p.out->parent_fd_, p.out->data_, lim_.output_flood * 8);
      if (p.in) feed(*p.in);
    }
    if (out_seen_ > lim_.output_flood) decide(ending::flooded);
  }

  static void read_some(int fd, std::string& into, std::size_t cap, std::size_t* seen = nullptr) {
    if (fd < 0) return;
    char buf[65536];
    for (;;) {
      ssize_t n = ::read(fd, buf, sizeof buf);
      if (n <= 0) return;
      if (seen) *seen += static_cast<std::size_t>(n);
      if (into.size() < cap)
        into.append(buf, std::min(static_cast<std::size_t>(n), cap - into.size()));
    }
  }

  static void feed(input_pipe& p) {
    if (p.parent_fd_ < 0) return;
    while (p.written_ < p.data_.size()) {
      ssize_t n = ::write(p.parent_fd_, p.data_.data() + p.written_, p.data_.size() - p.written_);
      if (n <= 0) {
        if (n < 0 && errno == EAGAIN) return;
        break;  // EPIPE: the reader is gone
      }
      p.written_ += static_cast<std::size_t>(n);
    }
    ::close(p.parent_fd_);  // all fed (or nobody reads): the reader gets end-of-file
    p.parent_fd_ = -1;
  }

  void handle(const records::record& rec) {
    switch (rec.t) {
      case records::baseline: {
        std::istringstream in(rec.payload);
        for (int fd; in >> fd;) baseline_.push_back(fd);
        break;
      }
      case records::message: r_.messages.push_back(rec.payload); break;
      case records::returned: {
        std::istringstream in(rec.payload);
        in >> r_.value >> r_.error;
        decide(ending::returned);
        break;
      }
      case records::load_failed: r_.detail = rec.payload; decide(ending::load_failed); break;
      case records::threw: r_.detail = rec.payload; decide(ending::threw); break;
      case records::out_of_memory: decide(ending::out_of_memory); break;
      case records::student_call: unwritten::note(rec.payload); break;
    }
  }

  // The call process ended without reporting: exit() or a signal.
  void process_ended() {
    pump();
    if (decided_) return;
    int status = 0;
    if (::waitpid(pid_, &status, 0) == pid_) {
      waited_ = true;
      r_.status = status;
      decide(WIFSIGNALED(status) ? ending::signaled : ending::exited);
    }
  }

  // A crash by SIGKILL, or a stall, while the kernel's OOM killer acted in
  // the call's cgroup: memory is what ended it.
  bool killed_for_memory(long oom_kills_before) const {
    bool killed = r_.how == ending::signaled && WTERMSIG(r_.status) == SIGKILL;
    return (killed || r_.how == ending::timed_out) &&
           isolation::memory_oom_kills() > oom_kills_before;
  }

  void decide(ending how) {
    if (decided_) return;
    decided_ = true;
    r_.how = how;
  }

  void observe_leftovers() {
    for (const auto& f : observe::open_fds(pid_))
      if (std::find(baseline_.begin(), baseline_.end(), f.fd) == baseline_.end())
        r_.fds_left.push_back(f);
    for (const auto& p : observe::processes())
      if (p.ppid == pid_) r_.children_left.push_back({p.pid, p.state, p.command});
  }

  // After the sweep every writer is gone: collect the last bytes.
  void drain_all() {
    for (auto& p : pipes_)
      if (p.out) read_some(p.out->parent_fd_, p.out->data_, lim_.output_flood * 8);
    read_some(out_fd_, r_.out, lim_.output_cap);
    read_some(err_fd_, r_.err, lim_.output_cap);
  }

  limits lim_;
  std::vector<pipe_ref> pipes_;
  result r_;
  pid_t pid_ = -1;
  int result_fd_ = -1, release_fd_ = -1, out_fd_ = -1, err_fd_ = -1, pidfd_ = -1;
  std::string inbox_;
  std::vector<int> baseline_;
  std::size_t out_seen_ = 0;
  bool decided_ = false;
  bool waited_ = false;
  int ticks_at_limit_ = 0;
  deadlock::detector deadlock_;
};

result call(const body& fn, const limits& lim, std::initializer_list<pipe_ref> pipes) {
  return call_engine(lim, pipes).run(fn);
}

}  // namespace ipclab::sandbox
