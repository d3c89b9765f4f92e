// The run as one JSON document: one record per mechanism and size, then
// the baselines and APUE's tables.
#include "report.hpp"

#include <sys/utsname.h>

namespace ipclab::bench {
namespace {

using json = nlohmann::ordered_json;

json or_null(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

json times(const cpu_times& t) { return {{"user_s", t.user}, {"system_s", t.system}, {"clock_s", t.clock}}; }

json table(const apue_table& t) {
  const apue_row* reference = nullptr;
  for (const auto& row : t.rows)
    if (row.operation == t.reference) reference = &row;
  json rows = json::array();
  for (const auto& row : t.rows) {
    json ratio_book = nullptr;
    if (row.book && reference && reference->book) ratio_book = row.book->clock / reference->book->clock;
    rows.push_back({{"operation", row.operation},
                    {"measured", times(row.measured)},
                    {"book", row.book ? times(*row.book) : json(nullptr)},
                    {"clock_ratio", reference ? json(row.measured.clock / reference->measured.clock)
                                              : json(nullptr)},
                    {"clock_ratio_book", ratio_book}});
  }
  return {{"figure", "APUE 3e Figure " + t.figure},
          {"title", t.title},
          {"processes", t.processes},
          {"pairs_per_process", t.pairs},
          {"book_pairs_per_process", t.book_pairs},
          {"book_platform", t.book_platform},
          {"clock_ratio_reference", t.reference},
          {"rows", rows}};
}

json machine() {
  utsname u{};
  ::uname(&u);
  return {{"system", u.sysname}, {"release", u.release}, {"machine", u.machine}};
}

}  // namespace

json to_json(const bench_results& r) {
  json results = json::array();
  for (const auto& f : r.ipc)
    results.push_back({{"mechanism", f.mechanism},
                       {"size", f.size},
                       {"latency_ns_median", or_null(f.latency_ns_median)},
                       {"latency_ns_p99", or_null(f.latency_ns_p99)},
                       {"throughput_mb_s", or_null(f.throughput_mb_s)},
                       {"throughput_mb_s_median", or_null(f.throughput_mb_s_median)},
                       {"unavailable", f.unavailable.empty() ? json(nullptr) : json(f.unavailable)}});
  json memcpy = json::array();
  for (const auto& m : r.memcpy)
    memcpy.push_back({{"chunk", m.chunk},
                      {"working_set", m.working_set},
                      {"throughput_mb_s", m.mb_s},
                      {"throughput_mb_s_median", m.mb_s_median}});
  json ratios = json::array();
  for (const char* ring : ring_mechanisms)
    for (std::size_t chunk : r.used.throughput_sizes)
      ratios.push_back({{"mechanism", ring}, {"chunk", chunk}, {"ratio", or_null(r.ratio_to_memcpy(ring, chunk))}});
  json apue = json::array();
  for (const auto& t : r.apue) apue.push_back(table(t));
  const settings& s = r.used;
  return {
      {"tool", "ipclab-bench"},
      {"machine", machine()},
      {"units",
       {{"size", "bytes"},
        {"latency",
         "ns, one round trip between two processes (ping-pong) pinned to one CPU, CLOCK_MONOTONIC"},
        {"throughput",
         "MB/s, 10^6 bytes per second, one way, the two processes free to use every CPU; the best of the "
         "rounds (throughput_mb_s_median: their median)"},
        {"apue", "seconds, totals of all processes"}}},
      {"settings",
       {{"quick", s.quick},
        {"latency_iterations", s.latency_iterations},
        {"throughput_bytes_per_run", {{"4096", s.throughput_bytes_small}, {"65536", s.throughput_bytes_large}}},
        {"throughput_rounds", s.throughput_rounds},
        {"apue_pairs_per_process", s.apue_pairs}}},
      {"mechanisms", r.mechanisms},
      {"results", results},
      {"baselines",
       {{"memcpy", memcpy},
        {"syscall_getppid_ns", r.syscall_ns},
        {"pipe_rtt_64_any_cpus_ns",
         {{"median", r.pipe_rtt_any_cpus.median}, {"p99", r.pipe_rtt_any_cpus.p99}}}}},
      {"ring_vs_memcpy", ratios},
      {"apue", apue},
      {"elapsed_s", r.elapsed_s},
  };
}

}  // namespace ipclab::bench
