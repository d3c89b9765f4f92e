/// @file socket_peers.hpp
/// @brief Which UNIX domain socket is connected to which, machine-wide.
#pragma once

#include <sys/types.h>

#include <map>

namespace ipclab {

/// Every AF_UNIX socket the kernel's sock_diag netlink interface lists, by
/// inode, mapped to its peer's inode, or to 0 when it has none (listening,
/// unconnected). Empty when the kernel does not answer.
std::map<ino_t, ino_t> unix_socket_peers();

}  // namespace ipclab
