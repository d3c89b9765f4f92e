// The factors by which named tests' calls get more (or less) wall-clock time.
#include "time_scale.hpp"

#include <cstdlib>
#include <map>

#include <catch2/catch.hpp>

namespace ipclab::sandbox::time_scale {
namespace {

std::map<std::string, double>& factors() {
  static std::map<std::string, double> by_test;  // set once in main(), before any test runs
  return by_test;
}

}  // namespace

std::string set(const std::vector<std::string>& specs) {
  for (const auto& spec : specs) {
    auto eq = spec.rfind('=');
    char* end = nullptr;
    double factor = eq == std::string::npos ? 0 : std::strtod(spec.c_str() + eq + 1, &end);
    if (eq == std::string::npos || eq == 0 || end == spec.c_str() + eq + 1 || *end != '\0' || !(factor > 0))
      return "--time-scale '" + spec + "': expected TEST NAME=FACTOR, a factor above 0";
    factors()[spec.substr(0, eq)] = factor;
  }
  return "";
}

std::chrono::milliseconds scaled(std::chrono::milliseconds wall) {
  if (factors().empty()) return wall;
  auto f = factors().find(Catch::getResultCapture().getCurrentTestName());
  if (f == factors().end()) return wall;
  return std::chrono::milliseconds(static_cast<long long>(static_cast<double>(wall.count()) * f->second));
}

}  // namespace ipclab::sandbox::time_scale
