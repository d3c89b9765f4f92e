// The peers of the machine's UNIX domain sockets, from sock_diag(7).
#include "ipclab/socket_peers.hpp"

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <sys/socket.h>

#include <cstdint>

#include "ipclab/unique_fd.hpp"

namespace ipclab {

std::map<ino_t, ino_t> unix_socket_peers() {
  std::map<ino_t, ino_t> peers;
  unique_fd sock(::socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG));
  if (!sock) return peers;
  struct {
    nlmsghdr header;
    unix_diag_req request;
  } ask{};
  ask.header.nlmsg_len = sizeof ask;
  ask.header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
  ask.header.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  ask.request.sdiag_family = AF_UNIX;
  ask.request.udiag_states = ~0u;  // every state
  ask.request.udiag_show = UDIAG_SHOW_PEER;
  if (::send(sock.get(), &ask, sizeof ask, 0) < 0) return peers;
  alignas(nlmsghdr) char buf[32768];
  for (;;) {
    ssize_t got = ::recv(sock.get(), buf, sizeof buf, 0);
    if (got <= 0) return peers;
    int left = static_cast<int>(got);
    for (auto* h = reinterpret_cast<nlmsghdr*>(buf); NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
      if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR) return peers;
      auto* msg = static_cast<unix_diag_msg*>(NLMSG_DATA(h));
      int attrs = static_cast<int>(h->nlmsg_len - NLMSG_LENGTH(sizeof *msg));
      ino_t& peer = peers[msg->udiag_ino];
      for (auto* a = reinterpret_cast<rtattr*>(msg + 1); RTA_OK(a, attrs); a = RTA_NEXT(a, attrs))
        if (a->rta_type == UNIX_DIAG_PEER) peer = *static_cast<std::uint32_t*>(RTA_DATA(a));
    }
  }
}

}  // namespace ipclab
