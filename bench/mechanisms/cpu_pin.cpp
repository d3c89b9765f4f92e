// CPU placement of the measured processes.
#include "cpu_pin.hpp"

#include "ipclab/check.hpp"

namespace ipclab::bench {

std::vector<int> allowed_cpus() {
  cpu_set_t set;
  check_unix(::sched_getaffinity(0, sizeof set, &set), "sched_getaffinity()");
  std::vector<int> cpus;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu)
    if (CPU_ISSET(cpu, &set)) cpus.push_back(cpu);
  return cpus;
}

namespace {

void pin_self(int cpu) {
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(cpu, &one);
  check_unix(::sched_setaffinity(0, sizeof one, &one), "sched_setaffinity()");
}

}  // namespace

cpu_pin::cpu_pin(int cpu) {
  check_unix(::sched_getaffinity(0, sizeof old_, &old_), "sched_getaffinity()");
  pin_self(cpu);
}

cpu_pin::~cpu_pin() { ::sched_setaffinity(0, sizeof old_, &old_); }

}  // namespace ipclab::bench
