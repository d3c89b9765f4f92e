// A fixed pool of threads over the submissions, and the ETA they imply.
#include "grade_runner.hpp"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include <fmt/format.h>

namespace ipclab::cli {
namespace {

std::string duration_text(double seconds) {
  auto s = static_cast<long>(seconds + 0.5);
  if (s >= 3600) return fmt::format("{}h{:02}m", s / 3600, s / 60 % 60);
  if (s >= 60) return fmt::format("{}m{:02}s", s / 60, s % 60);
  return fmt::format("{}s", s);
}

}  // namespace

void run_parallel(std::size_t count, unsigned jobs,
                  const std::function<job_outcome(std::size_t)>& job) {
  using clock = std::chrono::steady_clock;
  const auto start = clock::now();
  const bool terminal = ::isatty(STDERR_FILENO) != 0;
  std::atomic<std::size_t> next{0};
  std::mutex lock;
  std::size_t done = 0, graded = 0;

  auto report = [&](const job_outcome& o) {
    std::lock_guard guard(lock);
    ++done;
    if (!o.skipped) ++graded;
    double elapsed = std::chrono::duration<double>(clock::now() - start).count();
    std::string eta = "";
    if (done < count && graded > 0)
      eta = fmt::format("  ETA {}", duration_text(elapsed / static_cast<double>(graded) *
                                                  static_cast<double>(count - done)));
    std::string width = std::to_string(count);
    std::string line = fmt::format("[{:>{}}/{}] {} {}  ({} elapsed{})", done, width.size(), count,
                                   o.name, o.summary, duration_text(elapsed), eta);
    if (terminal)
      fmt::print(stderr, "\r\033[K{}{}", line, done == count ? "\n" : "");
    else
      fmt::print(stderr, "{}\n", line);
  };

  auto worker = [&] {
    for (std::size_t i; (i = next++) < count;) report(job(i));
  };
  std::vector<std::thread> pool;
  unsigned n = std::max(1u, std::min<unsigned>(jobs, static_cast<unsigned>(count)));
  for (unsigned t = 0; t < n; ++t) pool.emplace_back(worker);
  for (auto& t : pool) t.join();
}

}  // namespace ipclab::cli
