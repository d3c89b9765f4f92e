// An instructor's hidden test of chapter 01, as `ipclab grade --hidden`
// takes them: a Catch2 test file written like the chapter's own.
#include <sys/wait.h>

#include <catch2/catch.hpp>

#include "ipclab/expect.hpp"
#include "ipclab/sandbox.hpp"
#include "pipes.hpp"

namespace sandbox = ipclab::sandbox;
namespace expect = ipclab::expect;

TEST_CASE("three commands: tr, rev and wc count what went through", "[pipeline][pts=3]") {
  sandbox::input_pipe in("abc\ndef\n");
  sandbox::output_pipe out;
  const char* tr[] = {"tr", "a-z", "A-Z", nullptr};
  const char* rev[] = {"rev", nullptr};
  const char* wc[] = {"wc", "-c", nullptr};
  const char* const* cmds[] = {tr, rev, wc};
  auto r = sandbox::call(
      [&](sandbox::child&) -> long { return STUDENT(run_pipeline)(cmds, 3, in.fd(), out.fd()); },
      {}, {in, out});
  expect::returned(r);
  REQUIRE(r.value >= 0);
  CHECK(WIFEXITED(r.value));
  CHECK(out.data() == "8\n");
  expect::clean(r);
}
