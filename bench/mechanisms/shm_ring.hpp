/// @file shm_ring.hpp
/// @brief A ring of slots in shared memory, guarded by two counting semaphores.
///
/// The classic producer/consumer of APUE 15.9 made fast: one producer, one
/// consumer, N slots each big enough for a whole message. `free` counts the
/// empty slots, `full` the filled ones (POSIX semaphores, pshared, living in
/// the shared memory itself). Per message the producer does one wait, one
/// copy in and one post; the consumer one wait, one copy out and one post,
/// so with big slots both processes copy at once on two cores and the
/// semaphores cost little; with many slots they seldom have to sleep. The semaphores' wait/post are also the memory
/// barriers that publish a slot's bytes to the other process.
#pragma once

#include <semaphore.h>

#include <cstddef>
#include <memory>

#include "channel.hpp"

namespace ipclab::bench {

/// How a ring is cut into slots.
struct ring_geometry {
  std::size_t slot_size = 0;  ///< bytes of payload per slot
  std::size_t slots = 0;
  std::size_t payload_bytes() const { return slot_size * slots; }
};

/// The ring for messages of up to @p max_message bytes: slots of that size
/// (rounded up to 64), as many as fit in 4 MiB, between 4 and 1024.
/// A deep ring rarely makes either process sleep on a semaphore: measured
/// on a 2-core machine with 1 MiB of L2 per core, 64 KiB messages moved 3 to
/// 4 times faster through 64 slots (4 MiB) than through 16 (1 MiB).
ring_geometry ring_geometry_for(std::size_t max_message);

/// One direction: a single-producer, single-consumer ring at a given address.
/// The object is copied into both processes by fork; each keeps its own
/// position, the slots and semaphores are shared.
class shm_ring {
public:
  /// Bytes of shared memory a ring of geometry @p g occupies.
  static std::size_t footprint(const ring_geometry& g);
  /// Lays out a new ring at @p mem (footprint(g) bytes of shared memory,
  /// 64-byte aligned) and initialises its semaphores (pshared). Waits spin
  /// briefly before sleeping unless this process may use only one CPU.
  shm_ring(void* mem, const ring_geometry& g);
  /// Destroys the semaphores; call once, when no process uses the ring.
  void destroy() noexcept;
  /// Waits for a free slot, copies @p n bytes (n <= slot_size) in, posts it.
  void put(const void* buf, std::size_t n);
  /// Waits for a full slot, which must hold @p n bytes, copies them out.
  void get(void* buf, std::size_t n);

private:
  struct header;
  header* header_;
  char* slots_;
  ring_geometry geometry_;
  std::size_t next_ = 0;  ///< the slot this process uses next (private to each process)
  int spins_ = 0;         ///< sem_trywait tries before sleeping: 0 when confined to one CPU
};

/// Shared memory mapped in the parent and inherited by the peer across fork.
class shm_region {
public:
  virtual ~shm_region() = default;
  virtual void* base() = 0;
};

/// Two rings (a->b, b->a) in one region: the channel both shm mechanisms use.
std::unique_ptr<channel> make_ring_channel(std::unique_ptr<shm_region> region,
                                           const ring_geometry& g);

/// Bytes of region make_ring_channel needs for geometry @p g.
std::size_t ring_channel_footprint(const ring_geometry& g);

}  // namespace ipclab::bench
