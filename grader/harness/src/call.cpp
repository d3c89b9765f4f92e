// sandbox::call(): fork the call, feed and drain it, watch the clock, observe, sweep.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
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
#include "ipclab/fd_factory.hpp"
#include "ipclab/isolation.hpp"
#include "ipclab/observe.hpp"
#include "ipclab/sandbox.hpp"
#include "records.hpp"
#include "time_scale.hpp"
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
    long oom_before = isolation::memory_oom_kills();
    seal_ = records::seal::make();
    // Owned until the fork: a throw on the way closes every one of them.
    auto result_p = make_pipe(O_CLOEXEC), release_p = make_pipe(O_CLOEXEC);
    auto out_p = make_pipe(O_CLOEXEC), err_p = make_pipe(O_CLOEXEC);
    child_side::channels ch{result_p.write_end.get(), release_p.read_end.get(),
                            out_p.write_end.get(), err_p.write_end.get(), {}, seal_,
                            process_allowance(lim_.max_processes)};
    for (auto& p : pipes_) ch.keep.push_back(p.in ? p.in->child_fd_ : p.out->child_fd_);

    pid_ = check_unix(::fork(), "fork()");
    if (pid_ == 0) child_side::run(fn, lim_, ch);

    for (auto& p : pipes_) close_child_end(p);
    result_fd_ = std::move(result_p.read_end);
    release_fd_ = std::move(release_p.write_end);
    out_fd_ = std::move(out_p.read_end);
    err_fd_ = std::move(err_p.read_end);
    for (const auto& fd : {&result_fd_, &out_fd_, &err_fd_}) ::fcntl(fd->get(), F_SETFL, O_NONBLOCK);
    // Without a pidfd (an old kernel, or a filter that refuses it) the end of
    // the call process is found by waitpid(WNOHANG) at a shorter tick.
    pidfd_.reset(static_cast<int>(::syscall(SYS_pidfd_open, pid_, 0)));

    try {
      watch(started + lim_.wall);
      if (r_.how == ending::returned) observe_leftovers();
      if (r_.how == ending::timed_out) r_.detail = diagnose_stuck(pid_);
    } catch (...) {
      isolation::sweep(pid_, isolation::added(before, isolation::take()));  // never leave it running
      throw;
    }
    auto left = isolation::added(before, isolation::take());
    r_.ipc_left = left.ipc;
    r_.files_left = left.files;
    int status = isolation::sweep(pid_, left);
    if (status != -1 && !waited_) r_.status = status;
    if (killed_for_memory(oom_before)) r_.how = ending::out_of_memory;
    drain_all();
    r_.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);
    return r_;
  }

private:
  // RLIMIT_NPROC counts every process of the user. In a run's own namespaces
  // that is the run's alone; without them it is everything the user already
  // runs, so the call is allowed that many more (its own processes are
  // watched by check_resources()).
  static rlim_t process_allowance(int max_processes) {
    auto allowed = static_cast<rlim_t>(max_processes);
    if (isolation::private_namespaces()) return allowed;
    return allowed + static_cast<rlim_t>(observe::tasks_of(isolation::sandbox_uid()));
  }

  static void close_child_end(pipe_ref& p) {
    int& fd = p.in ? p.in->child_fd_ : p.out->child_fd_;
    ::close(fd);
    fd = -1;
  }

  // Polls until the body reports, the process ends, or the clock runs out;
  // the call's resources are checked once a tick, however busy it is.
  void watch(std::chrono::steady_clock::time_point deadline) {
    interrupter planned(lim_.interrupt, pid_, r_.interrupted);
    auto next_check = std::chrono::steady_clock::now() + kTick;
    while (!decided_) {
      std::vector<pollfd> fds{{result_fd_.get(), POLLIN, 0}, {out_fd_.get(), POLLIN, 0},
                              {err_fd_.get(), POLLIN, 0}, {pidfd_.get(), POLLIN, 0}};
      for (auto& p : pipes_) {
        if (p.in && p.in->parent_fd_ >= 0) fds.push_back({p.in->parent_fd_, POLLOUT, 0});
        if (p.out && p.out->parent_fd_ >= 0) fds.push_back({p.out->parent_fd_, POLLIN, 0});
      }
      auto now = std::chrono::steady_clock::now();
      if (now >= deadline) {
        decide(ending::timed_out);
        break;
      }
      auto tick = std::min({pidfd_ ? kTick : kReapTick, planned.next_wait(kTick),
                            deadlock_.next_look(kTick)});
      auto wait = std::min({deadline - now, next_check - now, std::chrono::steady_clock::duration(tick)});
      int wait_ms = static_cast<int>(std::chrono::ceil<std::chrono::milliseconds>(wait).count());
      int n = ::poll(fds.data(), fds.size(), std::max(wait_ms, 0));
      if (n < 0 && errno != EINTR) throw_errno(errno, "poll()");
      pump();
      if (!decided_ && call_process_ended(fds[3].revents)) process_ended();
      if (!decided_ && std::chrono::steady_clock::now() >= next_check) {
        check_resources();
        next_check = std::chrono::steady_clock::now() + kTick;
      }
      // A quiet call is looked at for a deadlock. Stuck in the wait the
      // test interrupts, it gets its signal now and is no deadlock; stuck
      // in any other, the signal never comes.
      bool interrupt_due = !lim_.interrupt.syscalls.empty() && !r_.interrupted;
      std::string why;
      if (n == 0 && !decided_ && deadlock_.stuck(pid_, why)) {
        if (interrupt_due) planned.next_wait(kTick);
        if (!interrupt_due || !r_.interrupted) {
          r_.detail = why;
          decide(ending::deadlocked);
        }
      }
    }
  }

  // Checked every tick. A call that holds (nearly) as many processes as it
  // may, tick after tick, is forking in a loop; one whose processes together
  // hold more memory than a call may use is stopped as out of memory (the
  // memory cgroup, where there is one, acts first). Either is ended now
  // rather than at its time limit.
  static constexpr std::chrono::milliseconds kTick{250};
  static constexpr std::chrono::milliseconds kReapTick{10};
  static constexpr int kTicksAtLimit = 3;
  void check_resources() {
    auto running = isolation::call_processes();
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

  // Moves whatever is ready: records in, output in, input out. Everything
  // read is bounded: records by their framing and kMaxChannel, output by
  // limits::output_flood (past which the call ends as flooded).
  void pump() {
    read_records();
    read_some(out_fd_.get(), r_.out, lim_.output_cap, out_seen_, lim_.output_flood);
    read_some(err_fd_.get(), r_.err, lim_.output_cap, out_seen_, lim_.output_flood);
    for (auto& p : pipes_) {
      if (p.out) read_some(p.out->parent_fd_, p.out->data_, kPipeCap, p.out->seen_, kPipeCap);
      if (p.in) feed(*p.in);
    }
    bool pipe_flood = std::any_of(pipes_.begin(), pipes_.end(),
                                  [](const pipe_ref& p) { return p.out && p.out->seen_ > kPipeCap; });
    if (out_seen_ > lim_.output_flood || pipe_flood) decide(ending::flooded);
  }

  // The most the parent reads off the result channel in one call, and from
  // one output_pipe: a call that sends more is stopped as flooded.
  static constexpr std::size_t kMaxChannel = 16 << 20;
  static constexpr std::size_t kPipeCap = 64 << 20;

  // Records one buffer at a time, each checked as it arrives: the inbox
  // holds at most one frame in progress.
  void read_records() {
    char buf[65536];
    while (!tampered_) {
      ssize_t n = ::read(result_fd_.get(), buf, sizeof buf);
      if (n <= 0) return;
      channel_seen_ += static_cast<std::size_t>(n);
      inbox_.append(buf, static_cast<std::size_t>(n));
      records::record rec;
      records::state st;
      while ((st = records::take(inbox_, seal_, rec)) == records::state::complete) handle(rec);
      if (st == records::state::forged) tamper();
      if (channel_seen_ > kMaxChannel) decide(ending::flooded);
      if (decided_ && r_.how != ending::returned) return;
    }
  }

  // Someone other than the harness wrote into its channel: nothing the call
  // reports can be trusted, whatever it reported before.
  void tamper() {
    tampered_ = true;
    inbox_.clear();
    decided_ = true;
    r_.how = ending::tampered;
  }

  // Reads what is ready, keeps up to @p keep bytes, counts all in @p seen,
  // and stops once @p seen passes @p stop (the caller then ends the call).
  static void read_some(int fd, std::string& into, std::size_t keep, std::size_t& seen,
                        std::size_t stop) {
    if (fd < 0) return;
    char buf[65536];
    while (seen <= stop) {
      ssize_t n = ::read(fd, buf, sizeof buf);
      if (n <= 0) return;
      seen += static_cast<std::size_t>(n);
      if (into.size() < keep)
        into.append(buf, std::min(static_cast<std::size_t>(n), keep - into.size()));
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
      case records::message:
        r_.messages.push_back(rec.payload);
        break;
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

  // Whether the call process has ended: its pidfd became readable, or,
  // without one, waitpid() reaped it.
  bool call_process_ended(short pidfd_events) {
    if (pidfd_) return pidfd_events != 0;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) != pid_) return false;
    waited_ = true;
    r_.status = status;
    return true;
  }

  // The call process ended without reporting: exit() or a signal.
  void process_ended() {
    pump();
    if (decided_) return;
    int status = r_.status;
    if (!waited_ && ::waitpid(pid_, &status, 0) == pid_) {
      waited_ = true;
      r_.status = status;
    }
    if (waited_) decide(WIFSIGNALED(status) ? ending::signaled : ending::exited);
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

  // After the sweep every writer is gone: collect the last bytes (still
  // checked, still bounded).
  void drain_all() {
    for (auto& p : pipes_)
      if (p.out) read_some(p.out->parent_fd_, p.out->data_, kPipeCap, p.out->seen_, kPipeCap);
    read_some(out_fd_.get(), r_.out, lim_.output_cap, out_seen_, lim_.output_flood);
    read_some(err_fd_.get(), r_.err, lim_.output_cap, out_seen_, lim_.output_flood);
    if (r_.how == ending::returned) read_records();  // a forgery after the report still counts
  }

  limits lim_;
  std::vector<pipe_ref> pipes_;
  result r_;
  pid_t pid_ = -1;
  records::seal seal_;
  unique_fd result_fd_, release_fd_, out_fd_, err_fd_, pidfd_;
  std::string inbox_;
  std::size_t channel_seen_ = 0;
  std::vector<int> baseline_;
  std::size_t out_seen_ = 0;
  bool decided_ = false;
  bool waited_ = false;
  bool tampered_ = false;
  int ticks_at_limit_ = 0;
  deadlock::detector deadlock_;
};

result call(const body& fn, const limits& lim, std::initializer_list<pipe_ref> pipes) {
  limits own = lim;
  own.wall = time_scale::scaled(lim.wall);  // the course's time for this test, if it gives one
  return call_engine(own, pipes).run(fn);
}

}  // namespace ipclab::sandbox
