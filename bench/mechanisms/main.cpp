// ipclab-bench: what each IPC mechanism the kit teaches costs on this machine.
//
//   ipclab-bench [--json] [--quick] [--plot FILE.svg|FILE.png]
//
// Latency (ping-pong) and throughput between two forked processes for
// pipes, FIFOs, UNIX sockets, XSI and POSIX message queues and a
// shared-memory ring; memcpy and system-call baselines; APUE 3e's timing
// tables (Figures 15.29 and 15.34) reproduced. Exit: 0 done, 1 a
// measurement failed, 2 bad usage (or gnuplot missing for --plot), 130 ^C.
// Everything it creates (processes, XSI objects, queues, FIFOs, files) is
// gone when it exits, also after ^C; where namespaces are allowed it runs
// in its own IPC namespace with its own /tmp and /dev/shm, so not even a
// SIGKILL leaves anything.
#include <unistd.h>

#include <filesystem>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "private_ipc.hpp"
#include "process.hpp"
#include "report.hpp"
#include "scratch.hpp"
#include "suite.hpp"

namespace {

struct options {
  bool json = false;
  bool quick = false;
  std::string plot;
};

bool has_plot_extension(const std::string& path) {
  auto ends = [&](const std::string& e) {
    return path.size() > e.size() && path.compare(path.size() - e.size(), e.size(), e) == 0;
  };
  return ends(".svg") || ends(".png");
}

// The folder a plot goes to, absolute, when it lies under /tmp (which the
// run replaces by its own); empty otherwise.
std::string plot_folder(const std::string& plot) {
  if (plot.empty()) return {};
  auto folder = std::filesystem::absolute(plot).parent_path().lexically_normal().string();
  return folder.rfind("/tmp/", 0) == 0 || folder == "/tmp" ? folder : std::string();
}

int run(const options& o) {
  using namespace ipclab::bench;
  std::string gnuplot;
  if (!o.plot.empty()) {
    if (!has_plot_extension(o.plot)) {
      fmt::print(stderr, "ipclab-bench: --plot {}: the name must end in .svg or .png\n", o.plot);
      return 2;
    }
    auto folder = std::filesystem::absolute(o.plot).parent_path();
    if (!std::filesystem::is_directory(folder)) {
      fmt::print(stderr, "ipclab-bench: --plot {}: there is no folder {} to write it in\n", o.plot,
                 folder.string());
      return 2;
    }
    gnuplot = find_gnuplot();
    if (gnuplot.empty()) {
      fmt::print(stderr, "ipclab-bench: --plot needs gnuplot, which is not installed: "
                         "install the Debian package gnuplot-nox (apt-get install gnuplot-nox)\n");
      return 2;
    }
  }
  enter_private_ipc(plot_folder(o.plot));
  catch_interrupts();
  scratch_dir work;
  bench_results r = run_suite(settings::for_mode(o.quick));
  if (o.json) fmt::print("{}\n", to_json(r).dump(2));
  else print_tables(r, ::isatty(STDOUT_FILENO) == 1);
  if (!o.plot.empty()) {
    write_plot(r, o.plot, gnuplot);
    fmt::print(stderr, "plot written to {}\n", o.plot);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Measures what each IPC mechanism of the kit costs on this machine: round-trip "
               "latency and throughput between two processes, memcpy and system-call baselines, "
               "and APUE 3e's timing tables (Figures 15.29 and 15.34) reproduced.",
               "ipclab-bench"};
  options o;
  app.add_flag("--json", o.json, "print one JSON document instead of the tables");
  app.add_flag("--quick", o.quick, "a few seconds of measuring: fewer iterations, noisier figures");
  app.add_option("--plot", o.plot, "also draw the figures into FILE (.svg or .png) with gnuplot")
      ->type_name("FILE");
  app.footer("Exit: 0 done, 1 a measurement failed, 2 bad usage or gnuplot missing, 130 interrupted.");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;  // --help is not an error; anything else is bad usage
  }
  try {
    return run(o);
  } catch (const std::exception& e) {
    // After ^C a peer may die first: the failure it causes is the interrupt.
    if (ipclab::bench::interrupt_pending()) {
      fmt::print(stderr, "\nipclab-bench: interrupted; its processes and IPC objects are gone.\n");
      return 130;
    }
    fmt::print(stderr, "ipclab-bench: {}\n", e.what());
    return 1;
  }
}
