/// @file cpu_pin.hpp
/// @brief Placing the measured processes on CPUs (sched_setaffinity).
#pragma once

#include <sched.h>

#include <vector>

namespace ipclab::bench {

/// The CPUs this process may run on, in increasing order.
std::vector<int> allowed_cpus();

/// Pins the calling process to @p cpu while it lives (children forked
/// meanwhile inherit it), then gives back the CPU set it had.
class cpu_pin {
public:
  explicit cpu_pin(int cpu);
  ~cpu_pin();
  cpu_pin(const cpu_pin&) = delete;
  cpu_pin& operator=(const cpu_pin&) = delete;

private:
  cpu_set_t old_;
};

}  // namespace ipclab::bench
