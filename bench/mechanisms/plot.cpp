// The plot: latency and throughput of every mechanism, drawn by gnuplot
// from a data file and a script written to the work folder.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

#include "ipclab/check.hpp"
#include "process.hpp"
#include "report.hpp"
#include "scratch.hpp"
#include "suite.hpp"

namespace ipclab::bench {
namespace {

std::string value(const std::optional<double>& v) { return v ? fmt::format("{:.1f}", *v) : "NaN"; }

/// One line per mechanism: name, latency medians, throughputs (NaN: not measured).
std::string data_file(const bench_results& r) {
  std::string out = "# mechanism";
  for (auto size : r.used.latency_sizes) out += " rtt_" + std::to_string(size);
  for (auto size : r.used.throughput_sizes) out += " mbs_" + std::to_string(size);
  out += "\n";
  for (const auto& m : r.mechanisms) {
    out += m;
    for (auto size : r.used.latency_sizes) out += " " + value(r.find(m, size)->latency_ns_median);
    for (auto size : r.used.throughput_sizes) out += " " + value(r.find(m, size)->throughput_mb_s);
    out += "\n";
  }
  return out;
}

std::string terminal_for(const std::string& path) {
  auto ends_with = [&](const char* ext) {
    std::string e = ext;
    return path.size() >= e.size() && path.compare(path.size() - e.size(), e.size(), e) == 0;
  };
  if (ends_with(".svg")) return "svg size 1200,520 dynamic font 'sans,11' background '#ffffff'";
  if (ends_with(".png")) return "pngcairo size 1200,520 font 'sans,10'";
  throw std::invalid_argument("--plot " + path + ": the file name must end in .svg or .png");
}

std::string quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

/// "'data' using 2:xtic(1) title '64 B', '' using 3 title '1 KiB'": one
/// histogram bar per size, from data-file column @p first on.
std::string series(const std::string& data, std::size_t first, const std::vector<std::size_t>& sizes,
                   const std::string& suffix) {
  std::string out;
  for (std::size_t i = 0; i < sizes.size(); ++i)
    out += fmt::format("{}{} using {}{} title '{}{}'", i ? ", " : "", i ? "''" : data, first + i,
                       i ? "" : ":xtic(1)", human_size(sizes[i]), suffix);
  return out;
}

std::string script(const bench_results& r, const std::string& data, const std::string& out) {
  std::ostringstream g;
  g << "set terminal " << terminal_for(out) << "\n"
    << "set output " << quoted(out) << "\n"
    << "set datafile missing 'NaN'\n"
    << "set style data histograms\nset style histogram clustered gap 1\n"
    << "set style fill solid 0.8 border -1\nset boxwidth 0.9\n"
    << "set xtics rotate by -30 nomirror\nset grid ytics\nset key top left\n"
    << "set multiplot layout 1,2 title 'ipclab bench: IPC between two processes on this machine'\n"
    << "set title 'round-trip latency, median (ns, lower is better)'\nset logscale y\n"
    << "set ylabel 'ns'\n"
    << "plot " << series(quoted(data), 2, r.used.latency_sizes, "") << "\n"
    << "set title 'one-way throughput (MB/s = 10^6 B/s, higher is better)'\nset ylabel 'MB/s'\n";
  // memcpy, the machine's limit, as a dashed line per chunk size (log scale:
  // it is often ten times the fastest mechanism).
  double top = 1;
  for (const auto& f : r.ipc)
    if (f.throughput_mb_s) top = std::max(top, *f.throughput_mb_s);
  double label_x = 0.30;  // side by side, for memcpy figures close to each other
  for (const auto& m : r.memcpy) {
    top = std::max(top, m.mb_s);
    g << fmt::format("set arrow from graph 0, first {0:.0f} to graph 1, first {0:.0f} nohead dt 2 lw 1.5\n"
                     "set label 'memcpy, {1} chunks' at graph {2:.2f}, first {0:.0f} offset 0,0.6 font ',9'\n",
                     m.mb_s, human_size(m.chunk), label_x);
    label_x += 0.32;
  }
  g << fmt::format("set yrange [*:{:.0f}]\n", top * 8);  // room for the key above the lines
  g << "plot " << series(quoted(data), 2 + r.used.latency_sizes.size(), r.used.throughput_sizes, " chunks")
    << "\n"
    << "unset multiplot\n";
  return g.str();
}

}  // namespace

std::string find_gnuplot() {
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path ? path : "/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    std::string candidate = (dir.empty() ? "." : dir) + "/gnuplot";
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return {};
}

void write_plot(const bench_results& r, const std::string& path, const std::string& gnuplot) {
  std::string data = scratch_path() + "/figures.dat", gp = scratch_path() + "/plot.gp",
              log = scratch_path() + "/gnuplot.log";
  std::ofstream(data) << data_file(r);
  std::ofstream(gp) << script(r, data, path);
  try {
    peer_process run([&] {
      int fd = check_unix(::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600), "open(" + log + ")");
      check_unix(::dup2(fd, STDOUT_FILENO), "dup2()");
      check_unix(::dup2(fd, STDERR_FILENO), "dup2()");
      ::execl(gnuplot.c_str(), gnuplot.c_str(), gp.c_str(), static_cast<char*>(nullptr));
      throw_errno(errno, "execl(" + gnuplot + ")");
    });
    run.join();
  } catch (const std::runtime_error&) {
    std::ifstream in(log);
    std::string why((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    throw std::runtime_error("gnuplot could not draw " + path + ":\n" + why);
  }
}

}  // namespace ipclab::bench
