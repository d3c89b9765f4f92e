// The terminal report: the IPC table, the baselines, the ring's ratio to
// memcpy, and APUE's two timing tables with the book's figures beside ours.
#include <fmt/color.h>
#include <fmt/format.h>

#include "report.hpp"
#include "suite.hpp"

namespace ipclab::bench {
namespace {

struct painter {
  bool on;
  std::string bold(const std::string& s) const {
    return on ? fmt::format(fmt::emphasis::bold, "{}", s) : s;
  }
  std::string good_or_bad(const std::string& s, bool good) const {
    return on ? fmt::format(fmt::fg(good ? fmt::terminal_color::green : fmt::terminal_color::red), "{}", s)
              : s;
  }
};

/// A figure, or "n/a [k]" pointing at the k-th footnote.
std::string cell(const std::optional<double>& v, const ipc_figure& f, std::vector<std::string>& notes) {
  if (v) return fmt::format("{:.0f}", *v);
  if (f.unavailable.empty()) return "-";
  notes.push_back(fmt::format("{} at {}: {}", f.mechanism, human_size(f.size), f.unavailable));
  return fmt::format("n/a [{}]", notes.size());
}

void print_ipc(const bench_results& r, const painter& p) {
  const settings& s = r.used;
  fmt::print("{}\n", p.bold("IPC between two processes (fork)"));
  fmt::print("  latency: round trip (ping-pong), ns, median and p99 of {} timed trips,\n"
             "           both processes pinned to one CPU (see the baselines for two CPUs)\n",
             s.latency_iterations);
  fmt::print("  throughput: one way, MB/s (10^6 bytes/s), sender and receiver free to use every CPU,\n"
             "              best of {} round(s) of {} (4 KiB chunks) / {} (64 KiB chunks) each\n"
             "              (other load only slows a run down; --json also gives the median)\n\n",
             s.throughput_rounds, human_size(s.throughput_bytes_small), human_size(s.throughput_bytes_large));
  std::string head1 = fmt::format("{:<14}", "");
  std::string head2 = fmt::format("{:<14}", "mechanism");
  for (std::size_t size : s.latency_sizes) {
    head1 += fmt::format("{:>20}", "rtt " + human_size(size));
    head2 += fmt::format("{:>10}{:>10}", "median", "p99");
  }
  for (std::size_t size : s.throughput_sizes) {
    head1 += fmt::format("{:>12}", human_size(size));
    head2 += fmt::format("{:>12}", "MB/s");
  }
  fmt::print("{}\n{}\n", p.bold(head1), p.bold(head2));
  std::vector<std::string> notes;
  for (const auto& m : r.mechanisms) {
    std::string line = fmt::format("{:<14}", m);
    for (std::size_t size : s.latency_sizes)
      if (const ipc_figure* f = r.find(m, size))
        line += fmt::format("{:>10}{:>10}", cell(f->latency_ns_median, *f, notes),
                            f->latency_ns_p99 ? cell(f->latency_ns_p99, *f, notes) : "");
    for (std::size_t size : s.throughput_sizes)
      if (const ipc_figure* f = r.find(m, size))
        line += fmt::format("{:>12}", cell(f->throughput_mb_s, *f, notes));
    fmt::print("{}\n", line);
  }
  for (std::size_t i = 0; i < notes.size(); ++i) fmt::print("  [{}] {}\n", i + 1, notes[i]);
}

void print_baselines(const bench_results& r, const painter& p) {
  fmt::print("\n{}\n", p.bold("Baselines"));
  for (const auto& m : r.memcpy)
    fmt::print("  memcpy, {} chunks over a {} working set (the ring's size): {:.0f} MB/s (best of the rounds)\n",
               human_size(m.chunk), human_size(m.working_set), m.mb_s);
  fmt::print("  syscall(SYS_getppid): {:.0f} ns per call\n", r.syscall_ns);
  fmt::print("  pipe round trip, 64 B, processes free to use both CPUs: median {:.0f} ns, p99 {:.0f} ns\n"
             "    (the difference from the pinned figure is the cost of waking a process on another CPU)\n",
             r.pipe_rtt_any_cpus.median, r.pipe_rtt_any_cpus.p99);
  fmt::print("\n{}\n", p.bold("Shared-memory ring / memcpy throughput (target at 64 KiB: at least 0.50)"));
  for (const char* ring : ring_mechanisms)
    for (std::size_t chunk : r.used.throughput_sizes) {
      auto ratio = r.ratio_to_memcpy(ring, chunk);
      std::string shown = ratio ? fmt::format("{:.2f}", *ratio) : "n/a";
      fmt::print("  {:<14}{:>7}: {}\n", ring, human_size(chunk),
                 chunk == 65536 && ratio ? p.good_or_bad(shown, *ratio >= 0.5) : shown);
    }
}

std::string seconds(double s) { return fmt::format("{:>7.3f}", s); }

void print_apue(const apue_table& t, const painter& p) {
  const apue_row* ref = nullptr;
  for (const auto& row : t.rows)
    if (row.operation == t.reference) ref = &row;
  fmt::print("\n{}\n", p.bold(fmt::format("APUE 3e Figure {}, {}: {} processes x {} lock/unlock pairs each",
                                           t.figure, t.title, t.processes, t.pairs)));
  fmt::print("  seconds, totals of the {} processes; the book: {} x {} on {}. Compare the ratios:\n",
             t.processes, t.processes, t.book_pairs, t.book_platform);
  fmt::print("  clock / clock of \"{}\".\n", t.reference);
  fmt::print("{}\n", p.bold(fmt::format("  {:<26}{:^24} {:^24} {:^16}", "", "measured here", "book",
                                        "clock ratio")));
  fmt::print("{}\n", p.bold(fmt::format("  {:<26}{:>8}{:>8}{:>8} {:>8}{:>8}{:>8} {:>8}{:>8}", "operation",
                                        "user", "system", "clock", "user", "system", "clock", "here",
                                        "book")));
  for (const auto& row : t.rows) {
    const auto& m = row.measured;
    std::string book = row.book ? fmt::format("{:>8.2f}{:>8.2f}{:>8.2f}", row.book->user,
                                              row.book->system, row.book->clock)
                                : fmt::format("{:>8}{:>8}{:>8}", "—", "—", "—");
    std::string here = ref && ref->measured.clock > 0 ? fmt::format("{:>8.1f}", m.clock / ref->measured.clock)
                                                      : fmt::format("{:>8}", "—");
    std::string theirs = ref && row.book && ref->book
                             ? fmt::format("{:>8.1f}", row.book->clock / ref->book->clock)
                             : fmt::format("{:>8}", "—");
    fmt::print("  {:<26}{}{}{} {} {}{}\n", row.operation, seconds(m.user), seconds(m.system),
               seconds(m.clock), book, here, theirs);
  }
}

}  // namespace

void print_tables(const bench_results& r, bool colour) {
  painter p{colour};
  print_ipc(r, p);
  print_baselines(r, p);
  for (const auto& t : r.apue) print_apue(t, p);
  fmt::print("\nThe whole run took {:.1f} s.{}\n", r.elapsed_s,
             r.used.quick ? " (--quick: fewer iterations, noisier figures)" : "");
}

}  // namespace ipclab::bench
