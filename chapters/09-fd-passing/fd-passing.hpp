/// @file fd-passing.hpp
/// @brief Chapter 09 exercise contract: passing descriptors over UNIX domain sockets.
///
/// Implement these in `exercises/09-fd-passing/fd-passing.cpp`. Every
/// function follows the POSIX convention: on failure it returns -1 and sets
/// errno. See APUE 3e sections 17.2 (socketpair as `fd_pipe`), 17.4
/// (`send_fd`, `send_err`, `recv_fd`) and 17.5 (the open server), and UNIX
/// Network Programming's `write_fd`/`read_fd` (section 15.7 of volume 1, 3e).
///
/// Descriptors travel as SCM_RIGHTS ancillary data of sendmsg()/recvmsg().
/// What arrives is a new descriptor in the receiver's table that refers to
/// the sender's open file description: both share the file offset and the
/// file status flags. At least one byte of ordinary data always travels
/// with the ancillary data.
///
/// None of these functions may raise SIGPIPE: send with MSG_NOSIGNAL, so a
/// peer that has gone away shows up as EPIPE.
/// @see The notes: @ref ch09_fd_passing, and \man{unix,7} (SCM_RIGHTS), \man{cmsg,3}
#pragma once

#include <sys/types.h>

extern "C" {

/// The longest request, null byte included, that open_server() accepts.
enum { OPEN_REQUEST_MAX = 4096 };

/// Creates a full-duplex pipe: two connected UNIX domain stream sockets
/// (APUE's fd_pipe: `socketpair(AF_UNIX, SOCK_STREAM, 0, fd)`). Data written
/// on either end is read from the other.
///
/// @param[out] fd  receives the two descriptors
/// @return 0, or -1 with errno.
/// @par Errors
/// - EINVAL: @p fd is a null pointer.
/// - EMFILE, ENFILE: as socketpair() sets them (no room for two more
///   descriptors); nothing is left open then.
/// @see \man{socketpair,2}
int fd_pipe(int fd[2]);

/// Sends @p nbytes bytes from @p ptr on the socket @p fd, with the
/// descriptor @p sendfd as one SCM_RIGHTS ancillary item (UNP's write_fd):
/// one sendmsg() whose control buffer is CMSG_SPACE(sizeof(int)) bytes,
/// suitably aligned, and whose header says CMSG_LEN(sizeof(int)).
///
/// The caller keeps owning @p sendfd: it may close it as soon as write_fd
/// returns, the descriptor in flight stays valid.
///
/// @param fd      a connected UNIX domain socket
/// @param ptr     the data, at least one byte
/// @param nbytes  how many bytes of @p ptr to send, at least 1
/// @param sendfd  the descriptor to pass, or any negative value to send the
///                data alone (no control data at all)
/// @return the number of bytes sent (@p nbytes on a blocking socket), or -1
///         with errno.
/// @par Errors
/// - EINVAL: @p ptr is a null pointer or @p nbytes < 1 (nothing was sent).
/// - EBADF: @p fd is not an open descriptor, or @p sendfd >= 0 is not one
///   (the kernel refuses to pass it).
/// - ENOTSOCK: @p fd is not a socket (a pipe cannot carry descriptors).
/// - EPIPE: the peer has closed its end (and no SIGPIPE is raised).
/// - EINTR, ENOBUFS, ETOOMANYREFS: as sendmsg() sets them.
/// @see \man{sendmsg,2} (MSG_NOSIGNAL), \man{cmsg,3}, \man{unix,7}
int write_fd(int fd, void *ptr, int nbytes, int sendfd);

/// Receives up to @p nbytes bytes into @p ptr from the socket @p fd with one
/// recvmsg(), and the descriptor that came with them, if any (UNP's
/// read_fd). The control buffer is CMSG_SPACE(sizeof(int)) bytes, suitably
/// aligned: sized for one descriptor, but its alignment padding may hold more
/// (on x86-64 it holds two ints, so two descriptors sent in one SCM_RIGHTS
/// item arrive whole, without MSG_CTRUNC). One descriptor is an item whose
/// cmsg_len is CMSG_LEN(sizeof(int)); check that, and cmsg_level SOL_SOCKET
/// and cmsg_type SCM_RIGHTS, before taking the descriptor out. Any other
/// control message is no passed descriptor: on a socket whose owner set
/// SO_PASSPIDFD (Linux 6.5 and later) every message brings an SCM_PIDFD item,
/// one int (a pidfd of the sender), the very size of one descriptor. Then
/// read_fd fails with EMSGSIZE; the pidfd stays open, for the owner who asked
/// for it. (With a descriptor too, the SCM_PIDFD item comes after the
/// SCM_RIGHTS one and does not fit the buffer: MSG_CTRUNC, EMSGSIZE.)
///
/// @param fd      a connected UNIX domain socket
/// @param[out] ptr     where the data goes
/// @param nbytes       the room at @p ptr, at least 1
/// @param[out] recvfd  receives the descriptor: a new descriptor of this
///                     process (the caller must close it) when the message
///                     carried exactly one descriptor in one SCM_RIGHTS item,
///                     -1 when it carried none; set to -1 whenever read_fd
///                     fails or returns 0
/// @return the number of bytes read (1 to @p nbytes; a stream socket may
///         join the data of consecutive sends), 0 at end-of-file (the peer
///         closed its end), or -1 with errno.
/// @par Errors
/// - EINVAL: @p ptr or @p recvfd is a null pointer, or @p nbytes < 1
///   (nothing was read).
/// - EMSGSIZE: the control data did not fit (recvmsg() set MSG_CTRUNC in
///   msg_flags: more descriptors were sent than the buffer holds, or this
///   process had no free descriptor slot), more than one descriptor
///   arrived, or a control message other than SCM_RIGHTS came. Every descriptor that did arrive has been closed first:
///   nothing stray stays in the table. The data of that message is lost.
/// - EBADF, ENOTSOCK, EINTR: as recvmsg() sets them.
/// @see \man{recvmsg,2} (MSG_CTRUNC), \man{cmsg,3}, \man{unix,7}
int read_fd(int fd, void *ptr, int nbytes, int *recvfd);

/// Sends the descriptor @p fd_to_send, or an error status, with APUE's
/// protocol: exactly two bytes of data, a null byte then a status byte.
/// - @p fd_to_send >= 0: the bytes are 0 and 0 and the descriptor travels
///   as SCM_RIGHTS with them; the caller keeps owning (and later closes)
///   @p fd_to_send;
/// - -255 <= @p fd_to_send <= -1: the bytes are 0 and -@p fd_to_send and no
///   descriptor travels (the receiver takes -@p fd_to_send as the errno of
///   a failure).
///
/// @param fd          a connected UNIX domain socket
/// @param fd_to_send  a descriptor, or a negated status (-255 to -1)
/// @return 0, or -1 with errno.
/// @par Errors
/// - EINVAL: @p fd_to_send < -255 (nothing was sent).
/// - EBADF: @p fd or @p fd_to_send is not an open descriptor.
/// - ENOTSOCK: @p fd is not a socket.
/// - EPIPE: the peer has closed its end (no SIGPIPE is raised).
/// - EINTR, ENOBUFS: as sendmsg() sets them.
/// @see \man{sendmsg,2}, \man{unix,7}
int send_fd(int fd, int fd_to_send);

/// Reports a failure to the peer with APUE's protocol: the text @p errmsg
/// (its strlen() bytes, without its null byte; nothing when @p errmsg is a
/// null pointer), then `send_fd(fd, status)`: a null byte and the status
/// byte -@p status.
///
/// @param fd      a connected UNIX domain socket
/// @param status  the negated status, -255 to -1 (typically -errno)
/// @param errmsg  a text for the peer's user, or a null pointer
/// @return 0, or -1 with errno.
/// @par Errors
/// - EINVAL: @p status is not in -255..-1 (nothing was sent).
/// - EBADF, ENOTSOCK, EPIPE (no SIGPIPE), EINTR, ENOBUFS: as for send_fd().
/// @see \man{send,2} (MSG_NOSIGNAL), \man{sendmsg,2}
int send_err(int fd, int status, const char *errmsg);

/// Receives what send_fd() or send_err() sent: reads from the socket @p fd
/// (recvmsg(), as many times as needed) until it has the null byte and the
/// status byte after it. Every byte before the null byte is text for the
/// user: it is passed on, as it arrives, with `userfunc(STDERR_FILENO, buf,
/// n)` (pass `write` to show it on standard error, or a null pointer to
/// discard it).
///
/// The reply must be the last data the peer sent: a byte after the status
/// byte is a protocol error.
///
/// @param fd        a connected UNIX domain socket
/// @param userfunc  receives the text, or a null pointer
/// @return the received descriptor (the caller must close it) when the
///         status byte is 0, or -1 with errno. On every failure, a
///         descriptor that arrived has been closed.
/// @par Errors
/// - the status byte (1..255) when the peer sent an error status
///   (send_err(fd, -ENOENT, ...) makes errno ENOENT).
/// - ECONNRESET: end-of-file before the status byte (the peer closed its
///   end or died).
/// - EBADMSG: a malformed reply: status 0 without a descriptor, a
///   descriptor with a nonzero status, or bytes after the status byte.
/// - EMSGSIZE: the control data was truncated (MSG_CTRUNC) or held more
///   than one descriptor.
/// - EIO: @p userfunc returned something else than the n it was given.
/// - EBADF, ENOTSOCK, EINTR: as recvmsg() sets them.
/// @see \man{recvmsg,2}, \man{cmsg,3}, \man{unix,7}
int recv_fd(int fd, ssize_t (*userfunc)(int, const void *, size_t));

/// The open server's request loop (APUE 17.5): serves the client on the
/// socket @p fd until the client closes its end.
///
/// Each request is the text `open <pathname> <oflag>` followed by a null
/// byte: three fields separated by blanks (space, tab or newline), the
/// third one a decimal number from 0 to INT_MAX, digits only after an
/// optional sign (the flags for open(), e.g. "0" for O_RDONLY). A stream socket keeps no message boundaries: one read may
/// bring part of a request, or several requests back to back; each ends at
/// its null byte and gets exactly one reply, in order:
/// - `open(pathname, oflag, 0600)` succeeds: the descriptor is sent with
///   send_fd(), then closed in the server;
/// - it fails with errno E: `send_err(fd, -E, text)`, the text being
///   `can't open <pathname>: <strerror(E)>`;
/// - the request is malformed (not three fields, first field not `open`,
///   flags not such a number): `send_err(fd, -EINVAL, text)`, the text starting
///   with `bad request`.
/// After an error reply the server goes on with the next request.
///
/// @param fd  a connected UNIX domain socket; the caller keeps owning it
/// @return 0 when end-of-file comes between requests, or -1 with errno.
///         When it returns, every descriptor it opened has been closed.
/// @par Errors
/// - EBADMSG: end-of-file in the middle of a request.
/// - EMSGSIZE: OPEN_REQUEST_MAX bytes arrived without a null byte.
/// - EPIPE (no SIGPIPE): a reply could not be sent because the client has
///   gone.
/// - EBADF, ENOTSOCK, EINTR: as the socket calls set them.
/// @see \man{open,2}, \man{read,2}, \man{strerror,3}, and send_fd(), send_err()
int open_server(int fd);

}  // extern "C"
