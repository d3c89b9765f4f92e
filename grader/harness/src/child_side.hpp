// What runs in the forked call process, before and around the test's body.
#pragma once

#include <sys/resource.h>

#include <vector>

#include "ipclab/sandbox.hpp"
#include "records.hpp"

namespace ipclab::sandbox::child_side {

/// The descriptors the call process starts with.
struct channels {
  int result;         ///< records to the parent
  int release;        ///< the parent closes its end when the call may end
  int out, err;       ///< the capture pipes for stdout and stderr
  std::vector<int> keep;  ///< the call's ends of input/output pipes
  records::seal seal;     ///< starts every record the call sends
  rlim_t max_tasks;       ///< its RLIMIT_NPROC (see call.cpp's process_allowance)
};

/// The call process's exit code when the body closed the harness's own
/// descriptors, so it could not report.
constexpr int kClosedHarnessFds = 121;

/// The largest file a call may write (RLIMIT_FSIZE), in MiB.
constexpr unsigned kFileLimitMiB = 64;

/// The memory a call may use, in MiB: each process's RLIMIT_AS, the run's
/// memory cgroup where there is one, and the sum the parent checks as the
/// call runs (none of them under ASan).
constexpr unsigned kMemoryLimitMiB = 1024;

/// Remembers the module the runner opened; the calls load it from this fd.
void set_module_fd(int fd) noexcept;

/// Sets up the process (group, stdio, descriptors, limits, user), loads the
/// module, runs @p fn, reports, waits for release, and exits. Never returns.
[[noreturn]] void run(const body& fn, const limits& lim, channels ch);

}  // namespace ipclab::sandbox::child_side
