// `ipclab watch [CH] [--exercises DIR] [--test PATTERN] [--fail-fast]`: re-check on every save.
//
// inotify watches each chapter's folder; a burst of events (an editor
// writes a temporary file, renames it, touches a backup) is debounced:
// the check runs once, 300 ms after the last event of the burst.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <memory>
#include <set>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "commands.hpp"
#include "ipclab/check.hpp"
#include "ipclab/fd_factory.hpp"
#include "ipclab/unique_fd.hpp"
#include "progress.hpp"
#include "render.hpp"
#include "test_selection.hpp"

namespace ipclab::cli {
namespace {

using clock_type = std::chrono::steady_clock;
constexpr auto quiet_time = std::chrono::milliseconds(300);

struct watch_options {
  std::string chapter;
  std::string exercises;
  test_selection only;
};

int stop_pipe = -1;  // written by the signal handler: Ctrl-C wakes poll()

extern "C" void on_stop(int) {
  int saved = errno;
  static const char msg[] = "\nipclab watch: stopping\n";
  [[maybe_unused]] auto a = ::write(STDERR_FILENO, msg, sizeof msg - 1);
  [[maybe_unused]] auto b = ::write(stop_pipe, "x", 1);
  errno = saved;
}

/// A file a student edits, not an editor's scratch file (.swp, foo~, #foo#).
bool is_source(const std::string& name) {
  if (name.empty() || name[0] == '.' || name[0] == '#' || name.back() == '~') return false;
  auto ext = fs::path(name).extension();
  return ext == ".cpp" || ext == ".hpp" || ext == ".h" || ext == ".cc";
}

class watcher {
public:
  watcher(const kit& k, fs::path tree, bool record, test_selection only)
      : k_(k), tree_(std::move(tree)), record_(record && !only.partial()), only_(std::move(only)) {}

  void add(const chapter& c, bool must_exist) {
    fs::path dir = tree_ / c.folder;
    if (!fs::is_directory(dir)) {
      if (must_exist)
        throw usage_error(fmt::format("no folder {}: nothing to watch", dir.string()));
      return;
    }
    int wd = check_unix(::inotify_add_watch(fd_.get(), dir.c_str(),
                                            IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE |
                                                IN_MOVED_FROM | IN_DELETE_SELF | IN_MOVE_SELF),
                        fmt::format("inotify_add_watch({})", dir.string()));
    watched_[wd] = &c;
  }

  bool empty() const { return watched_.empty(); }

  void check(const chapter& c) {
    if (::isatty(STDOUT_FILENO)) fmt::print("\x1b[H\x1b[2J\x1b[3J");
    fmt::print("ipclab watch: checking {} ({:%H:%M:%S})\n\n", c.folder,
               fmt::localtime(std::time(nullptr)));
    std::fflush(stdout);
    try {
      auto report = check_chapter(k_, c, tree_, fencing{.choice = choose_fence(fence_mode::best)},
                                  test_args(c.test_binary, only_));
      print_report(c, report);
      if (record_) record_check(k_, c, report);
    } catch (const std::exception& e) {
      fmt::print("ipclab: {}\n\n", e.what());
    }
    fmt::print("Watching {}: save a file to check again; Ctrl-C stops.\n", where());
    std::fflush(stdout);
  }

  /// Waits for saves and checks; returns when stopped (0) or nothing is left to watch (2).
  int loop(int stop_fd) {
    std::set<const chapter*> pending;
    auto due = clock_type::now();
    for (;;) {
      int timeout = -1;
      if (!pending.empty()) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(due - clock_type::now());
        timeout = static_cast<int>(std::max<long>(left.count(), 0));
      }
      pollfd fds[] = {{fd_.get(), POLLIN, 0}, {stop_fd, POLLIN, 0}};
      if (::poll(fds, 2, timeout) < 0 && errno != EINTR) throw_errno(errno, "poll()");
      if (fds[1].revents != 0) return 0;
      if (fds[0].revents != 0) {
        if (drain(pending)) due = clock_type::now() + quiet_time;
        if (watched_.empty()) {
          fmt::print(stderr, "ipclab watch: the watched folder is gone; stopping.\n");
          return bad_usage;
        }
      }
      if (!pending.empty() && clock_type::now() >= due) {
        for (const auto* c : pending) check(*c);
        pending.clear();
      }
    }
  }

  std::string where() const {
    if (watched_.size() == 1) return (tree_ / watched_.begin()->second->folder).string();
    return fmt::format("{} chapters in {}", watched_.size(), tree_.string());
  }

private:
  /// Reads the queued events; true when one of them asks for a check.
  bool drain(std::set<const chapter*>& pending) {
    alignas(inotify_event) char buf[8192];
    bool any = false;
    ssize_t n;
    while ((n = ::read(fd_.get(), buf, sizeof buf)) > 0) {
      for (char* p = buf; p < buf + n;) {
        const auto* ev = reinterpret_cast<const inotify_event*>(p);
        p += sizeof(inotify_event) + ev->len;
        if (ev->mask & IN_Q_OVERFLOW) {
          for (const auto& [wd, c] : watched_) pending.insert(c);
          any = true;
          continue;
        }
        auto it = watched_.find(ev->wd);
        if (it == watched_.end()) continue;
        if (ev->mask & IN_IGNORED) {
          watched_.erase(it);
          continue;
        }
        if (ev->len > 0 && is_source(ev->name)) {
          pending.insert(it->second);
          any = true;
        }
      }
    }
    if (n < 0 && errno != EAGAIN && errno != EINTR) throw_errno(errno, "read(inotify)");
    return any;
  }

  const kit& k_;
  fs::path tree_;
  bool record_;  // a partial run (--test, --fail-fast) is never recorded
  test_selection only_;
  unique_fd fd_{check_unix(::inotify_init1(IN_NONBLOCK | IN_CLOEXEC), "inotify_init1()")};
  std::map<int, const chapter*> watched_;
};

int run_watch(const watch_options& o) {
  kit k = kit::load();
  auto chosen = k.select(o.chapter.empty() ? "all" : o.chapter);
  fs::path tree = o.exercises.empty() ? k.exercises_dir() : fs::path(o.exercises);
  if (!fs::is_directory(tree)) throw usage_error(fmt::format("no folder {}", tree.string()));
  watcher w(k, tree, o.exercises.empty(), o.only);
  for (const auto* c : chosen) w.add(*c, !o.chapter.empty());
  if (w.empty()) throw usage_error(fmt::format("{} holds no chapter folder to watch", tree.string()));

  auto [stop_read, stop_write] = make_pipe(O_CLOEXEC | O_NONBLOCK);
  stop_pipe = stop_write.get();
  struct sigaction on{}, old_int{}, old_term{};
  on.sa_handler = on_stop;  // no SA_RESTART: poll() wakes up
  ::sigaction(SIGINT, &on, &old_int);
  ::sigaction(SIGTERM, &on, &old_term);

  if (chosen.size() == 1) w.check(*chosen.front());
  else fmt::print("Watching {}: save a file to check its chapter; Ctrl-C stops.\n", w.where());
  std::fflush(stdout);
  int rc = w.loop(stop_read.get());

  ::sigaction(SIGINT, &old_int, nullptr);
  ::sigaction(SIGTERM, &old_term, nullptr);
  stop_pipe = -1;
  return rc;
}

}  // namespace

void add_watch(CLI::App& app, commands& cmds) {
  auto o = std::make_shared<watch_options>();
  auto* sub = app.add_subcommand("watch", "re-check a chapter every time you save one of its files");
  sub->add_option("chapter", o->chapter, "a chapter: slug, number or folder (default: every chapter)");
  sub->add_option("--exercises", o->exercises, "the folder holding NN-slug/ fill-ins (default: exercises/)");
  add_test_selection(*sub, o->only);
  sub->footer("Keep it running in a second terminal while you edit. Ctrl-C stops it.");
  sub->callback([&cmds, o] { cmds.selected = [o] { return run_watch(*o); }; });
}

}  // namespace ipclab::cli
