// The semaphore-guarded ring of slots, and the two-way channel made of two rings.
#include "shm_ring.hpp"

#include <sched.h>

#include <algorithm>
#include <cstring>
#include <new>
#include <stdexcept>
#include <string>

#include "ipclab/check.hpp"
#include "process.hpp"

namespace ipclab::bench {
namespace {

constexpr std::size_t line = 64;  // a cache line: keeps the two semaphores apart
constexpr int spin_tries = 100;   // about 3 microseconds on a current x86

constexpr std::size_t round_up(std::size_t n, std::size_t to) { return (n + to - 1) / to * to; }

/// Tells the CPU this is a spin-wait loop (less power, no pipeline flush).
inline void cpu_relax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  __asm__ __volatile__("yield");
#endif
}

/// sem_wait, after up to @p spins tries of sem_trywait: on two busy CPUs the
/// other process usually posts within a microsecond or two, while going to
/// sleep then being woken from another CPU costs tens of microseconds.
void wait(sem_t* s, int spins) {
  for (int spin = 0; spin < spins; ++spin) {
    if (::sem_trywait(s) == 0) return;
    cpu_relax();
  }
  while (::sem_wait(s) < 0)
    if (!retry_after(errno)) throw_errno(errno, "sem_wait()");
}

}  // namespace

struct shm_ring::header {
  alignas(line) sem_t free;  ///< empty slots: the producer waits on it
  alignas(line) sem_t full;  ///< filled slots: the consumer waits on it
};

/// Each slot: its length on a line of its own, then the payload.
static std::size_t slot_stride(const ring_geometry& g) { return line + g.slot_size; }

ring_geometry ring_geometry_for(std::size_t max_message) {
  ring_geometry g;
  g.slot_size = round_up(std::max<std::size_t>(max_message, line), line);
  g.slots = std::clamp<std::size_t>((4u << 20) / g.slot_size, 4, 1024);
  return g;
}

std::size_t shm_ring::footprint(const ring_geometry& g) {
  return round_up(sizeof(header), line) + g.slots * slot_stride(g);
}

shm_ring::shm_ring(void* mem, const ring_geometry& g)
    : header_(new (mem) header), slots_(static_cast<char*>(mem) + round_up(sizeof(header), line)),
      geometry_(g) {
  // Spinning only helps when the other process can run meanwhile.
  cpu_set_t cpus;
  check_unix(::sched_getaffinity(0, sizeof cpus, &cpus), "sched_getaffinity()");
  spins_ = CPU_COUNT(&cpus) > 1 ? spin_tries : 0;
  check_unix(::sem_init(&header_->free, 1, static_cast<unsigned>(g.slots)), "sem_init(free)");
  check_unix(::sem_init(&header_->full, 1, 0), "sem_init(full)");
}

void shm_ring::destroy() noexcept {
  ::sem_destroy(&header_->free);
  ::sem_destroy(&header_->full);
}

void shm_ring::put(const void* buf, std::size_t n) {
  if (n > geometry_.slot_size) throw std::length_error("message larger than a ring slot");
  wait(&header_->free, spins_);
  char* slot = slots_ + next_ * slot_stride(geometry_);
  std::memcpy(slot, &n, sizeof n);
  std::memcpy(slot + line, buf, n);
  check_unix(::sem_post(&header_->full), "sem_post(full)");
  next_ = (next_ + 1) % geometry_.slots;
}

void shm_ring::get(void* buf, std::size_t n) {
  wait(&header_->full, spins_);
  const char* slot = slots_ + next_ * slot_stride(geometry_);
  std::size_t stored = 0;
  std::memcpy(&stored, slot, sizeof stored);
  if (stored != n)
    throw std::runtime_error("ring slot holds " + std::to_string(stored) + " bytes, expected " +
                             std::to_string(n));
  std::memcpy(buf, slot + line, n);
  check_unix(::sem_post(&header_->free), "sem_post(free)");
  next_ = (next_ + 1) % geometry_.slots;
}

namespace {

class ring_channel : public channel {
public:
  ring_channel(std::unique_ptr<shm_region> region, const ring_geometry& g)
      : region_(std::move(region)),
        a_to_b_(region_->base(), g),
        b_to_a_(static_cast<char*>(region_->base()) + shm_ring::footprint(g), g) {}
  ~ring_channel() override {
    a_to_b_.destroy();
    b_to_a_.destroy();
  }

  void become(side s) override {
    out_ = s == side::a ? &a_to_b_ : &b_to_a_;
    in_ = s == side::a ? &b_to_a_ : &a_to_b_;
  }
  void send(const void* buf, std::size_t n) override { out_->put(buf, n); }
  void recv(void* buf, std::size_t n) override { in_->get(buf, n); }

private:
  std::unique_ptr<shm_region> region_;
  shm_ring a_to_b_, b_to_a_;
  shm_ring *out_ = nullptr, *in_ = nullptr;
};

}  // namespace

std::size_t ring_channel_footprint(const ring_geometry& g) { return 2 * shm_ring::footprint(g); }

std::unique_ptr<channel> make_ring_channel(std::unique_ptr<shm_region> region,
                                           const ring_geometry& g) {
  return std::make_unique<ring_channel>(std::move(region), g);
}

}  // namespace ipclab::bench
