// `ipclab bench [--json] [--quick] [--plot FILE]`: runs ipclab-bench, the
// benchmark of every IPC mechanism the kit teaches, on this terminal.
#include <unistd.h>

#include <memory>

#include <fmt/format.h>

#include "commands.hpp"
#include "kit.hpp"
#include "process.hpp"

namespace ipclab::cli {
namespace {

struct bench_options {
  bool json = false;
  bool quick = false;
  std::string plot;
};

int run_bench(const bench_options& o) {
  const std::string bench = IPCLAB_BENCH;
  if (::access(bench.c_str(), X_OK) != 0)
    throw usage_error(fmt::format(
        "the benchmark is not built ({} is missing): run ./ipclab from the kit's folder to build it",
        bench));
  std::vector<std::string> argv{bench};
  if (o.json) argv.push_back("--json");
  if (o.quick) argv.push_back("--quick");
  if (!o.plot.empty()) argv.insert(argv.end(), {"--plot", o.plot});
  // On the terminal: the progress line and colour show, ^C reaches it and it
  // cleans up after itself. Its exit code is ours.
  return run_interactive(argv);
}

}  // namespace

void add_bench(CLI::App& app, commands& cmds) {
  auto o = std::make_shared<bench_options>();
  auto* sub = app.add_subcommand("bench", "measure what each IPC mechanism costs on this machine");
  sub->add_flag("--json", o->json, "print one JSON document (a \"results\" array and more) instead of tables");
  sub->add_flag("--quick", o->quick, "a few seconds of measuring: fewer iterations, noisier figures");
  sub->add_option("--plot", o->plot, "also draw the figures into FILE (.svg or .png; needs gnuplot)")
      ->type_name("FILE");
  sub->footer("Round-trip latency and throughput between two processes for pipes, FIFOs, UNIX "
              "sockets, XSI and POSIX message queues and a shared-memory ring; memcpy and "
              "system-call baselines; APUE 3e's Figures 15.29 and 15.34 redone here. About two "
              "minutes (--quick: seconds). Exit: 0 done, 1 a measurement failed, 2 bad usage or "
              "gnuplot missing, 130 interrupted.");
  sub->callback([&cmds, o] { cmds.selected = [o] { return run_bench(*o); }; });
}

}  // namespace ipclab::cli
