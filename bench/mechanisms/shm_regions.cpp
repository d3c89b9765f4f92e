// The two kinds of shared memory under the ring: XSI (shmget/shmat) and
// mmap(MAP_SHARED | MAP_ANONYMOUS). Both are inherited by the peer across fork.
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>

#include "ipclab/check.hpp"
#include "mechanisms.hpp"
#include "shm_ring.hpp"

namespace ipclab::bench {
namespace {

class xsi_shm_region : public shm_region {
public:
  explicit xsi_shm_region(std::size_t size) {
    int id = check_unix(::shmget(IPC_PRIVATE, size, IPC_CREAT | 0600), "shmget(IPC_PRIVATE)");
    void* at = ::shmat(id, nullptr, 0);
    int err = errno;
    // Marked for removal at once: the segment lives while attached (here and,
    // after fork, in the peer) and vanishes with the last detach, even on a crash.
    ::shmctl(id, IPC_RMID, nullptr);
    if (at == reinterpret_cast<void*>(-1)) throw_errno(err, "shmat()");
    base_ = at;
  }
  ~xsi_shm_region() override { ::shmdt(base_); }
  void* base() override { return base_; }

private:
  void* base_ = nullptr;
};

class mmap_region : public shm_region {
public:
  explicit mmap_region(std::size_t size) : size_(size) {
    base_ = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (base_ == MAP_FAILED) throw_errno(errno, "mmap(MAP_SHARED|MAP_ANONYMOUS)");
  }
  ~mmap_region() override { ::munmap(base_, size_); }
  void* base() override { return base_; }

private:
  void* base_ = nullptr;
  std::size_t size_;
};

}  // namespace

std::unique_ptr<channel> make_xsi_shm_ring_channel(std::size_t max_message) {
  auto g = ring_geometry_for(max_message);
  return make_ring_channel(std::make_unique<xsi_shm_region>(ring_channel_footprint(g)), g);
}

std::unique_ptr<channel> make_mmap_ring_channel(std::size_t max_message) {
  auto g = ring_geometry_for(max_message);
  return make_ring_channel(std::make_unique<mmap_region>(ring_channel_footprint(g)), g);
}

}  // namespace ipclab::bench
