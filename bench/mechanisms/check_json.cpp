// Test of the benchmark: `ipclab-bench --quick --json` exits 0 and prints
// one JSON document with a record per mechanism and size, each holding its
// figures or the reason they are unavailable, plus baselines and APUE's
// tables. Checks shape only, never how fast anything is.
//
//   ipclab-bench-check-json PATH/TO/ipclab-bench
#include <sys/wait.h>

#include <cstdio>
#include <iostream>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

namespace {

using nlohmann::json;

int failures = 0;

void expect(bool ok, const std::string& what) {
  if (ok) return;
  std::cerr << "FAILED: " << what << "\n";
  ++failures;
}

bool positive(const json& v) { return v.is_number() && v.get<double>() > 0; }

std::string run(const std::string& bench, int& status) {
  std::string command = "'" + bench + "' --quick --json";
  FILE* out = ::popen(command.c_str(), "r");
  if (!out) return {};
  std::string text;
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, out)) > 0;) text.append(buf, n);
  status = ::pclose(out);
  return text;
}

void check_records(const json& doc) {
  const std::set<std::string> mechanisms = {"pipe", "fifo", "unix-stream", "unix-dgram",
                                            "xsi-msg", "posix-mq", "xsi-shm-ring", "mmap-ring"};
  for (const auto& m : mechanisms) {
    bool some_number = false;
    for (std::size_t size : {64u, 1024u, 4096u, 65536u}) {
      const json* rec = nullptr;
      for (const auto& r : doc["results"])
        if (r.value("mechanism", "") == m && r.value("size", 0u) == size) rec = &r;
      std::string where = m + " at " + std::to_string(size) + " bytes";
      expect(rec != nullptr, "a record for " + where);
      if (!rec) continue;
      for (const char* key : {"latency_ns_median", "latency_ns_p99", "throughput_mb_s", "unavailable"})
        expect(rec->contains(key), where + " has " + key);
      bool latency = size <= 1024;
      const json& main_figure = (*rec)[latency ? "latency_ns_median" : "throughput_mb_s"];
      bool explained = (*rec)["unavailable"].is_string();
      expect(positive(main_figure) || (main_figure.is_null() && explained),
             where + ": a positive figure, or null with the reason");
      if (latency && positive(main_figure)) expect(positive((*rec)["latency_ns_p99"]), where + ": p99");
      expect((*rec)[latency ? "throughput_mb_s" : "latency_ns_median"].is_null(),
             where + ": the figure not measured at this size is null");
      some_number = some_number || positive(main_figure);
    }
    expect(some_number, m + " has at least one measured figure");
  }
}

void check_extras(const json& doc) {
  const json& base = doc["baselines"];
  expect(base["memcpy"].is_array() && base["memcpy"].size() == 2, "two memcpy baselines");
  for (const auto& m : base["memcpy"]) expect(positive(m["throughput_mb_s"]), "memcpy MB/s");
  expect(positive(base["syscall_getppid_ns"]), "the syscall baseline");
  expect(positive(base["pipe_rtt_64_any_cpus_ns"]["median"]), "the pipe round trip across CPUs");
  expect(doc["ring_vs_memcpy"].is_array() && !doc["ring_vs_memcpy"].empty(), "ring/memcpy ratios");
  expect(doc["apue"].is_array() && doc["apue"].size() == 2, "APUE's two tables");
  std::size_t rows = 0;
  for (const auto& t : doc["apue"])
    for (const auto& row : t["rows"]) {
      ++rows;
      for (const char* key : {"user_s", "system_s", "clock_s"})
        expect(row["measured"][key].is_number(), row.value("operation", "?") + ": " + key);
      expect(row.contains("book") && row.contains("clock_ratio_book"), "book figures or null");
    }
  expect(rows == 5, "5 APUE rows (3 locking alternatives, 2 semaphore kinds)");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: ipclab-bench-check-json PATH/TO/ipclab-bench\n";
    return 2;
  }
  int status = -1;
  std::string text = run(argv[1], status);
  expect(WIFEXITED(status) && WEXITSTATUS(status) == 0, "ipclab-bench --quick --json exits 0");
  json doc = json::parse(text, nullptr, false);
  expect(!doc.is_discarded() && doc.is_object(), "the output is one JSON object");
  if (doc.is_discarded() || !doc.is_object() || !doc["results"].is_array()) {
    std::cerr << "FAILED: no \"results\" array; output was:\n" << text << "\n";
    return 1;
  }
  check_records(doc);
  check_extras(doc);
  if (failures == 0) std::cout << "ipclab-bench --quick --json: shape as documented\n";
  return failures == 0 ? 0 : 1;
}
