/// @file kernel_limits.hpp
/// @brief Reading the kernel's IPC limits from /proc, to say why a size is refused.
#pragma once

#include <string>

namespace ipclab::bench {

/// The number in @p path (e.g. /proc/sys/kernel/msgmax); -1 when unreadable.
long read_limit(const std::string& path);

/// "msgmax is 8192 (/proc/sys/kernel/msgmax)": a limit and where it is set.
std::string describe_limit(const std::string& name, const std::string& path);

}  // namespace ipclab::bench
