// The benchmark's clock (CLOCK_MONOTONIC) and sample statistics.
#include "timing.hpp"

#include <time.h>

#include <algorithm>
#include <cmath>

namespace ipclab::bench {

std::uint64_t now_ns() noexcept {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::uint64_t>(ts.tv_sec) * 1'000'000'000u + static_cast<std::uint64_t>(ts.tv_nsec);
}

spread summarize(std::vector<std::uint64_t>& samples) {
  if (samples.empty()) return {};
  std::sort(samples.begin(), samples.end());
  auto at_rank = [&](double q) {
    // Nearest rank: the smallest sample with at least q of the samples at or below it.
    auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(samples.size())));
    return static_cast<double>(samples[std::clamp<std::size_t>(rank, 1, samples.size()) - 1]);
  };
  return {at_rank(0.5), at_rank(0.99)};
}

double median(std::vector<double>& values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  std::size_t mid = values.size() / 2;
  return values.size() % 2 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

double mb_per_s(std::size_t bytes, std::uint64_t ns) noexcept {
  return ns == 0 ? 0 : static_cast<double>(bytes) * 1e3 / static_cast<double>(ns);
}

}  // namespace ipclab::bench
