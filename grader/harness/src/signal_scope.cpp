// The call's signals stay among its own processes: a Landlock signal scope.
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>

#include "fence/signal_scope.hpp"
#include "privileges.hpp"

namespace ipclab::sandbox::child_side {
namespace {

// From <linux/landlock.h> of Linux 6.12 (ABI 6); Debian 12's headers predate it.
struct ruleset_attr {
  std::uint64_t handled_access_fs;
  std::uint64_t handled_access_net;
  std::uint64_t scoped;
};
constexpr std::uint64_t kScopeSignal = 1u << 1;

}  // namespace

bool confine_signals() noexcept {
  if (!fence::kernel_scopes_signals()) return true;  // no Landlock, or too old: see policy.hpp
  ruleset_attr attr{0, 0, kScopeSignal};
  int ruleset = static_cast<int>(::syscall(SYS_landlock_create_ruleset, &attr, sizeof attr, 0));
  if (ruleset < 0) return false;
  bool done = ::syscall(SYS_landlock_restrict_self, ruleset, 0) == 0;
  ::close(ruleset);
  return done;
}

}  // namespace ipclab::sandbox::child_side
