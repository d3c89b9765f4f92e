// Ping-pong latency and one-way throughput between two real processes.
#include "pingpong.hpp"

#include <optional>
#include <vector>

#include "cpu_pin.hpp"
#include "process.hpp"

namespace ipclab::bench {
namespace {

constexpr int warmup_trips = 100;
constexpr std::size_t warmup_chunks = 16;

}  // namespace

spread measure_latency(const channel_factory& make, std::size_t size, int iterations,
                       placement where) {
  std::optional<cpu_pin> pinned;  // before make(): the ring does not spin on one CPU
  if (where == placement::one_cpu) pinned.emplace(allowed_cpus().front());
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

double measure_throughput(const channel_factory& make, std::size_t chunk, std::size_t total) {
  auto ch = make(chunk);
  std::vector<char> buf(chunk, 'y');
  const std::size_t chunks = std::max<std::size_t>(total / chunk, 1);
  char ack = 'k';
  // Warm-up chunks, an ack, the timed chunks, an ack.
  peer_process peer([&] {
    ch->become(side::b);
    for (std::size_t i = 0; i < warmup_chunks; ++i) ch->recv(buf.data(), chunk);
    ch->send(&ack, 1);
    for (std::size_t i = 0; i < chunks; ++i) ch->recv(buf.data(), chunk);
    ch->send(&ack, 1);
  });
  ch->become(side::a);
  for (std::size_t i = 0; i < warmup_chunks; ++i) ch->send(buf.data(), chunk);
  ch->recv(&ack, 1);
  std::uint64_t start = now_ns();
  for (std::size_t i = 0; i < chunks; ++i) ch->send(buf.data(), chunk);
  ch->recv(&ack, 1);
  double rate = mb_per_s(chunks * chunk, now_ns() - start);
  peer.join();
  return rate;
}

}  // namespace ipclab::bench
