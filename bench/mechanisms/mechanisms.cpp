// The list of mechanisms the benchmark measures, in report order.
#include "mechanisms.hpp"

namespace ipclab::bench {

std::vector<mechanism> all_mechanisms() {
  return {
      {"pipe", "two pipes, one per direction", make_pipe_channel},
      {"fifo", "two FIFOs opened by name", make_fifo_channel},
      {"unix-stream", "socketpair(AF_UNIX, SOCK_STREAM)", make_unix_stream_channel},
      {"unix-dgram", "socketpair(AF_UNIX, SOCK_DGRAM)", make_unix_dgram_channel},
      {"xsi-msg", "one XSI message queue, a type per direction", make_xsi_msg_channel},
      {"posix-mq", "two POSIX message queues", make_posix_mq_channel},
      {"xsi-shm-ring", "ring of slots in XSI shared memory (shmget), POSIX semaphores",
       make_xsi_shm_ring_channel},
      {"mmap-ring", "ring of slots in mmap(MAP_SHARED|MAP_ANONYMOUS), POSIX semaphores",
       make_mmap_ring_channel},
  };
}

}  // namespace ipclab::bench
