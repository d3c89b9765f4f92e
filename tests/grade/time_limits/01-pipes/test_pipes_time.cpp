// A hidden test of chapter 01 for `grade.config-limits`: its one call sleeps
// 2 s under a 1 s limit, so it passes only when the grading config gives the
// test more time (time_scale), and always times out without.
#include <unistd.h>

#include <catch2/catch.hpp>

#include "ipclab/expect.hpp"
#include "ipclab/sandbox.hpp"

namespace sandbox = ipclab::sandbox;
using namespace std::chrono_literals;

TEST_CASE("a call limited to 1 s whose body sleeps 2 s", "[pts=1]") {
  auto r = sandbox::call([](sandbox::child&) -> long { return ::sleep(2); }, {.wall = 1s});
  ipclab::expect::returned(r);
  CHECK(r.value == 0);
}
