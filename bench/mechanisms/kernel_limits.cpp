// The kernel's IPC limits, read from /proc.
#include "kernel_limits.hpp"

#include <fstream>

namespace ipclab::bench {

long read_limit(const std::string& path) {
  std::ifstream in(path);
  long value = -1;
  if (!(in >> value)) return -1;
  return value;
}

std::string describe_limit(const std::string& name, const std::string& path) {
  long v = read_limit(path);
  return name + " is " + (v < 0 ? std::string("unknown") : std::to_string(v)) + " (" + path + ")";
}

}  // namespace ipclab::bench
