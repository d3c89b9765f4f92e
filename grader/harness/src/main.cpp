// The test runner's entry point: Catch2, plus the student module and isolation.
#define CATCH_CONFIG_RUNNER
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <catch2/catch.hpp>

#include "child_side.hpp"
#include "ipclab/isolation.hpp"
#include "time_scale.hpp"

int main(int argc, char* argv[]) {
  Catch::Session session;
  std::string module;
  std::vector<std::string> time_scales;
  using Catch::clara::Opt;
  session.cli(session.cli() |
              Opt(module, "path")["--module"]("the student's compiled module (.so) to test") |
              Opt(time_scales, "name=factor")["--time-scale"]("scale the time limits of that test's calls"));
  if (int rc = session.applyCommandLine(argc, argv); rc != 0) return rc;
  if (auto bad = ipclab::sandbox::time_scale::set(time_scales); !bad.empty()) {
    std::fprintf(stderr, "%s: %s\n", argv[0], bad.c_str());
    return 2;
  }
  if (module.empty() && std::getenv("IPCLAB_MODULE") != nullptr) module = std::getenv("IPCLAB_MODULE");

  const auto& cfg = session.configData();
  bool listing = cfg.listTests || cfg.listTestNamesOnly || cfg.listTags || cfg.listReporters;
  if (!listing) {
    if (module.empty()) {
      std::fprintf(stderr, "%s: give the student module with --module PATH (or IPCLAB_MODULE);\n"
                           "--module none grades code that did not compile\n", argv[0]);
      return 2;
    }
    // Opened now, while the path is still reachable: calls load it through /proc/self/fd.
    int fd = module == "none" ? -1 : ::open(module.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0 && module != "none") {
      std::fprintf(stderr, "%s: cannot open %s: %s\n", argv[0], module.c_str(), std::strerror(errno));
      return 2;
    }
    ipclab::sandbox::child_side::set_module_fd(fd);
    ipclab::isolation::enter();
  }
  return session.run();
}
