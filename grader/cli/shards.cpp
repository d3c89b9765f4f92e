// A chapter's tests in shards: each its own fenced test run, all at once.
#include "shards.hpp"

#include <sched.h>

#include <algorithm>
#include <exception>
#include <stdexcept>
#include <thread>

#include "ipclab/results.hpp"

namespace ipclab::cli {

unsigned default_jobs() {
  constexpr unsigned kMostJobs = 4;
  cpu_set_t cpus;
  CPU_ZERO(&cpus);
  if (::sched_getaffinity(0, sizeof cpus, &cpus) != 0) return 1;
  return std::clamp(static_cast<unsigned>(CPU_COUNT(&cpus)), 1u, kMostJobs);
}

nlohmann::json run_shards(const fs::path& binary, const std::string& module, const std::string& folder,
                          const fencing& f, const std::vector<std::vector<std::string>>& shards) {
  // Without namespaces, runs side by side would see each other's processes,
  // IPC objects and files as left behind by their calls.
  if (!f.choice.namespaces) throw std::logic_error("tests run in shards only behind namespaces");
  std::vector<results::part> parts(shards.size());
  std::vector<std::exception_ptr> failed(shards.size());
  std::vector<std::thread> runs;
  for (std::size_t i = 0; i < shards.size(); ++i)
    runs.emplace_back([&, i] {
      try {
        parts[i] = run_tests(binary, module, folder, f, shards[i], "ipclab-part");
      } catch (...) {
        failed[i] = std::current_exception();
      }
    });
  for (auto& r : runs) r.join();
  for (const auto& e : failed)
    if (e) std::rethrow_exception(e);
  return results::conclude(results::merge(parts));
}

}  // namespace ipclab::cli
