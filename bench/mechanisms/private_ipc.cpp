// enter_private_ipc(): new IPC and mount namespaces, the queue limits carried over.
#include "private_ipc.hpp"

#include <sched.h>

#include <array>
#include <fstream>
#include <string>

#include "ipclab/io.hpp"
#include "fence/path_view.hpp"
#include "fence/unshare.hpp"

namespace ipclab::bench {
namespace {

// Per-namespace limits: a new IPC namespace starts with the kernel defaults.
constexpr std::array<const char*, 4> kQueueLimits = {
    "/proc/sys/kernel/msgmax", "/proc/sys/kernel/msgmnb", "/proc/sys/fs/mqueue/msgsize_max",
    "/proc/sys/fs/mqueue/msg_max"};

std::string read_value(const char* path) {
  std::ifstream in(path);
  std::string value;
  in >> value;
  return value;
}

}  // namespace

bool enter_private_ipc(const std::string& keep) {
  std::array<std::string, kQueueLimits.size()> machine;
  for (std::size_t i = 0; i < kQueueLimits.size(); ++i) machine[i] = read_value(kQueueLimits[i]);
  if (fence::unshare_as_self(CLONE_NEWIPC | CLONE_NEWNS) != 0) return false;
  for (std::size_t i = 0; i < kQueueLimits.size(); ++i)
    if (!machine[i].empty()) write_control_file(kQueueLimits[i], machine[i]);
  fence::path_view view{{}, {}, {"/tmp", "/dev/shm"}};
  if (!keep.empty()) view.kept.push_back(keep);
  // Without private folders the IPC namespace still holds the XSI objects
  // and queues; the work folder and semaphores are removed as before.
  fence::apply_path_view(view);
  return true;
}

}  // namespace ipclab::bench
