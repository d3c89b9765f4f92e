// Ping-pong latency and one-way throughput between two real processes.
#include "pingpong.hpp"

#include <sched.h>

#include <optional>
#include <vector>

#include "ipclab/check.hpp"
#include "process.hpp"

namespace ipclab::bench {
namespace {

constexpr int warmup_trips = 100;
constexpr std::size_t warmup_chunks = 16;

/// Pins this process (and the children it forks) to the first CPU it may
/// use; gives the old CPU set back when it goes.
class pin_to_one_cpu {
public:
  pin_to_one_cpu() {
    check_unix(::sched_getaffinity(0, sizeof old_, &old_), "sched_getaffinity()");
    cpu_set_t one;
    CPU_ZERO(&one);
    for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu)
      if (CPU_ISSET(cpu, &old_)) {
        CPU_SET(cpu, &one);
        break;
      }
    check_unix(::sched_setaffinity(0, sizeof one, &one), "sched_setaffinity()");
  }
  ~pin_to_one_cpu() { ::sched_setaffinity(0, sizeof old_, &old_); }
  pin_to_one_cpu(const pin_to_one_cpu&) = delete;
  pin_to_one_cpu& operator=(const pin_to_one_cpu&) = delete;

private:
  cpu_set_t old_;
};

}  // namespace

spread measure_latency(const channel_factory& make, std::size_t size, int iterations,
                       placement where) {
  std::optional<pin_to_one_cpu> pinned;
  if (where == placement::one_cpu) pinned.emplace();
  auto ch = make(size);
  std::vector<char> buf(size, 'x');
  const int trips = warmup_trips + iterations;
  peer_process peer([&] {
    ch->become(side::b);
    for (int i = 0; i < trips; ++i) {
      ch->recv(buf.data(), size);
      ch->send(buf.data(), size);
    }
  });
  ch->become(side::a);
  std::vector<std::uint64_t> samples(static_cast<std::size_t>(iterations));
  for (int i = 0; i < trips; ++i) {
    std::uint64_t start = now_ns();
    ch->send(buf.data(), size);
    ch->recv(buf.data(), size);
    if (i >= warmup_trips) samples[static_cast<std::size_t>(i - warmup_trips)] = now_ns() - start;
  }
  peer.join();
  return summarize(samples);
}

double measure_throughput(const channel_factory& make, std::size_t chunk, std::size_t total,
                          int runs) {
  auto ch = make(chunk);
  std::vector<char> buf(chunk, 'y');
  const std::size_t chunks = std::max<std::size_t>(total / chunk, 1);
  char ack = 'k';
  // Per run: warm-up chunks, an ack, the timed chunks, an ack.
  peer_process peer([&] {
    ch->become(side::b);
    for (int r = 0; r < runs; ++r) {
      for (std::size_t i = 0; i < warmup_chunks; ++i) ch->recv(buf.data(), chunk);
      ch->send(&ack, 1);
      for (std::size_t i = 0; i < chunks; ++i) ch->recv(buf.data(), chunk);
      ch->send(&ack, 1);
    }
  });
  ch->become(side::a);
  std::vector<double> rates;
  for (int r = 0; r < runs; ++r) {
    for (std::size_t i = 0; i < warmup_chunks; ++i) ch->send(buf.data(), chunk);
    ch->recv(&ack, 1);
    std::uint64_t start = now_ns();
    for (std::size_t i = 0; i < chunks; ++i) ch->send(buf.data(), chunk);
    ch->recv(&ack, 1);
    rates.push_back(mb_per_s(chunks * chunk, now_ns() - start));
  }
  peer.join();
  return median(rates);
}

}  // namespace ipclab::bench
