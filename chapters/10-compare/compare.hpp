/// @file compare.hpp
/// @brief Chapter 10 exercise contract: the IPC kinds compared, and probes that show each property.
///
/// Implement these in `exercises/10-compare/compare.cpp`. Two parts:
///
/// 1. **The table.** ipc_has() and ipc_persistence() are the comparison of
///    the end of APUE 3e section 15.6.4, summarised in 15.12, written down
///    as data. The graded tests do not compare your table with the book:
///    they compare it with what *this* kernel does, observed live by trusted
///    probes. Where Linux differs from the book, Linux wins.
/// 2. **The probes.** One function per property that demonstrates it on a
///    real object handed in by the caller: its answer must come from what
///    the kernel does with *that* object, never from a constant. The tests
///    hand each probe objects on which the answer differs.
///
/// Every function follows the POSIX convention: on failure it returns -1
/// and sets errno. No probe closes a descriptor it was given, and each one
/// leaves its objects as the contract says (restored flags, nothing unread,
/// nothing created).
#pragma once

#include <mqueue.h>
#include <stddef.h>

extern "C" {

/// The IPC kinds of the comparison.
enum ipc_kind {
  KIND_PIPE = 0,         ///< pipes and FIFOs: pipe(), mkfifo() (APUE 15.2, 15.5)
  KIND_XSI_MSGQ,         ///< XSI message queues: msgget() (APUE 15.7)
  KIND_UNIX_STREAM,      ///< UNIX domain sockets of type SOCK_STREAM (APUE 17.2)
  KIND_UNIX_DGRAM,       ///< UNIX domain sockets of type SOCK_DGRAM
  KIND_UNIX_SEQPACKET,   ///< UNIX domain sockets of type SOCK_SEQPACKET
  KIND_POSIX_MQ,         ///< POSIX message queues: mq_open() (chapter 11)
  KIND_COUNT             ///< how many kinds there are (not a kind)
};

/// The properties compared (the columns of APUE's table).
enum ipc_property {
  /// A message can be sent to a name without first opening or connecting
  /// anything (no open(), msgget() or connect() before the send).
  PROP_CONNECTIONLESS = 0,
  /// What is sent arrives: nothing lost, duplicated or reordered.
  PROP_RELIABLE,
  /// A sender that gets ahead of its receiver is made to wait (or told
  /// EAGAIN when non-blocking) instead of having its data dropped.
  PROP_FLOW_CONTROL,
  /// Each send is received as one unit: two sends are never read as one,
  /// one send is never split over two receives.
  PROP_RECORDS,
  /// A receiver can choose which message to take (by a type or a
  /// priority), so a later message can be taken before an earlier one.
  PROP_MSG_TYPES,
  PROP_COUNT  ///< how many properties there are (not a property)
};

/// How long an IPC object, and what it holds, lives (TLPI's classes).
enum ipc_persistence_class {
  /// Gone when the last process holding it closes it or exits: the data
  /// in it goes too.
  PERSIST_PROCESS = 0,
  /// Stays, with its data, until explicitly removed or the system reboots,
  /// even when no process uses it.
  PERSIST_KERNEL,
  /// Survives a reboot: stored in a file system.
  PERSIST_FILESYSTEM
};

/// One cell of the comparison table: does IPC kind @p kind have property
/// @p property, on this system?
///
/// @param kind      an ::ipc_kind, KIND_PIPE to KIND_POSIX_MQ
/// @param property  an ::ipc_property, PROP_CONNECTIONLESS to PROP_MSG_TYPES
/// @return 1 (it has it) or 0 (it has not), or -1 with errno:
///         - EINVAL: @p kind or @p property is out of range.
int ipc_has(int kind, int property);

/// How long an object of kind @p kind and the data queued in it live,
/// once no process holds it (for a FIFO: what becomes of the data, not of
/// its name in the file system).
///
/// @param kind  an ::ipc_kind, KIND_PIPE to KIND_POSIX_MQ
/// @return an ::ipc_persistence_class, or -1 with errno:
///         - EINVAL: @p kind is out of range.
int ipc_persistence(int kind);

/// The fixed size, in bytes, of each numbered record probe_reliable() sends.
enum { PROBE_RECORD_SIZE = 64 };

/// probe_flow_control() gives up after this many bytes were accepted.
enum { PROBE_FLOW_LIMIT = 16 << 20 };

/// Shows whether a channel keeps record boundaries. Writes two records of
/// different lengths (say 3 then 5 bytes) on @p wfd, then makes one read
/// of @p rfd with room for both (at least 64 bytes). A read that returns
/// exactly the first record shows boundaries kept; a read that returns
/// more (or part of it) shows a byte stream.
///
/// Afterwards nothing the probe wrote is left unread on @p rfd (read the
/// rest, without blocking forever: the total is known). Both descriptors
/// stay open, with the file status flags they came with.
///
/// @param wfd  the sending end: a pipe's write end or a connected socket
/// @param rfd  the receiving end, where what is written on @p wfd arrives
/// @return 1 (records kept) or 0 (a byte stream), or -1 with errno:
///         - EBADF: @p wfd or @p rfd is not open (for writing, reading);
///         - EPIPE: nobody reads @p rfd's side any more (send on a socket
///           with MSG_NOSIGNAL; on a pipe the caller keeps a reader);
///         - EIO: fewer bytes arrived than were written;
///         - EINTR, ENOBUFS: as write() and read() set them.
/// @see \man{write,2}, \man{read,2}, \man{socketpair,2}, \man{pipe,7}
int probe_keeps_records(int wfd, int rfd);

/// Shows whether a channel has flow control. Puts @p wfd in non-blocking
/// mode and writes blocks of 1024 bytes until a write fails with EAGAIN
/// (the channel pushed back: 1) or PROBE_FLOW_LIMIT bytes have been
/// accepted without complaint (0: the writer is never held back).
///
/// Nothing is read: what was written stays in the channel for the caller
/// to drain or discard. Before returning, on every path, @p wfd's file
/// status flags are set back to what they were (O_NONBLOCK on only if it
/// was on when the probe was called). @p wfd stays open.
///
/// @param wfd  a descriptor open for writing: a pipe, a connected socket,
///             a FIFO, or anything else write() accepts (/dev/null...)
/// @return 1 (flow control) or 0 (none), or -1 with errno:
///         - EBADF: @p wfd is not open for writing;
///         - EPIPE: no reader (send on a socket with MSG_NOSIGNAL; on a
///           pipe the caller keeps a reader, so SIGPIPE cannot happen);
///         - as fcntl() and write() set them otherwise.
/// @see \man{fcntl,2}, \man{write,2}, \man{pipe,7}, \man{unix,7}
int probe_flow_control(int wfd);

/// Shows whether a channel is reliable. Sends @p count records of
/// PROBE_RECORD_SIZE bytes on @p wfd, record i carrying the number i (the
/// rest of its bytes are yours to choose), and reads records of
/// PROBE_RECORD_SIZE bytes from @p rfd. Both ends are non-blocking while
/// the probe runs. The probe fills the channel before it reads: it reads
/// nothing until a write fails with EAGAIN, then reads what has arrived
/// and goes on writing; after the last write it reads until a read fails
/// with EAGAIN. Reading earlier (after every write, say) never lets the
/// channel fill, and a channel that drops records does so when it is
/// full (UDP drops them at a full receiver without telling the sender):
/// such a probe cannot see the loss it is there to find. It must never
/// block, whatever the channel does with the records (a channel that
/// drops them must not hang the probe).
///
/// The channel is reliable for this run when records 0 to @p count - 1
/// arrived, each exactly once, in order, intact. Before returning, on
/// every path, both descriptors' file status flags are set back to what
/// they were; both stay open; nothing is left to read on @p rfd.
///
/// @param wfd    the sending end (a pipe's write end, a connected socket)
/// @param rfd    the receiving end, where what is sent on @p wfd arrives
/// @param count  how many records to send, 1 to 1000000
/// @return 1 (all arrived, in order) or 0 (something was lost, duplicated,
///         reordered or damaged), or -1 with errno:
///         - EINVAL: @p count is out of range (nothing is sent);
///         - EBADF: @p wfd or @p rfd is not open (for writing, reading);
///         - EPIPE: no reader (sockets: MSG_NOSIGNAL);
///         - as fcntl(), write() and read() set them otherwise.
/// @see \man{fcntl,2}, \man{send,2}, \man{recv,2}
int probe_reliable(int wfd, int rfd, int count);

/// Shows whether a socket type is connectionless. Sends one byte from the
/// AF_UNIX socket @p sock to the socket bound at @p peer_path with one
/// sendto() naming that address, without connect() (and without bind()),
/// with MSG_DONTWAIT | MSG_NOSIGNAL.
///
/// @p sock is left as it came: not connected, not bound, open.
///
/// @param sock       an AF_UNIX socket, not connected
/// @param peer_path  the file system path a peer socket is bound to
/// @return 1 when the byte was sent (connectionless), 0 when the socket
///         refused because it is not connected (EOPNOTSUPP or ENOTCONN
///         from sendto(): a stream or seqpacket socket must connect()
///         first), or -1 with errno:
///         - EINVAL: @p peer_path is a null pointer, empty, or too long for
///           sun_path (nothing was sent);
///         - ENOENT: nothing is bound at @p peer_path;
///         - ECONNREFUSED: @p peer_path is not a socket, or nobody uses it;
///         - EPROTOTYPE: the socket at @p peer_path is of another type;
///         - EAGAIN: the peer's queue is full;
///         - EBADF, ENOTSOCK: as sendto() sets them.
/// @see \man{sendto,2}, \man{unix,7}
int probe_connectionless(int sock, const char *peer_path);

/// Shows whether a queue lets a receiver choose messages. The XSI queue
/// @p msqid holds messages whose payload is one `int`: the order in which
/// the caller sent them (0 for the first sent, 1 for the next...). The
/// probe takes them, without waiting, lowest type first (msgrcv() with a
/// negative type: -LONG_MAX takes the oldest message of the lowest type),
/// until the queue is empty or @p cap messages were taken, and stores the
/// payload of the i-th message taken in @p order[i].
///
/// @param msqid  an XSI message queue identifier
/// @param order  receives the sending numbers, in the order taken
/// @param cap    the room at @p order, at least 1
/// @param taken  receives how many messages were taken
/// @return 1 when some message was taken before one sent earlier than it
///         (the queue let a later message pass), 0 when they came out in
///         the order they were sent, or -1 with errno:
///         - EINVAL: @p order or @p taken is a null pointer, @p cap < 1
///           (nothing taken), or @p msqid is not a queue (from msgrcv());
///         - E2BIG: a message's payload is larger than an `int`; it stays
///           on the queue, and the messages taken before it are lost;
///         - EACCES, EIDRM: as msgrcv() sets them.
/// @see \man{msgrcv,2}, \man{msgctl,2}
int probe_message_types(int msqid, int *order, int cap, int *taken);

/// The same question for a POSIX message queue, whose receiver cannot pick
/// a message but gets the highest priority first. The queue @p q holds
/// messages whose payload is one `int`, the order in which the caller sent
/// them (0 first). The probe takes them without waiting (O_NONBLOCK for
/// its receives, set with mq_setattr()) until the queue is empty or @p cap
/// messages were taken, storing the payload of the i-th message taken in
/// @p order[i]. The queue's flags are set back as they were before it
/// returns, on every path (the flags are shared by every user of the open
/// queue description).
///
/// @param q      a POSIX message queue descriptor open for reading
/// @param order  receives the sending numbers, in the order taken
/// @param cap    the room at @p order, at least 1
/// @param taken  receives how many messages were taken
/// @return 1 when some message was taken before one sent earlier than it
///         (a higher priority overtook), 0 when they came out in the order
///         they were sent, or -1 with errno:
///         - EINVAL: @p order or @p taken is a null pointer or @p cap < 1
///           (nothing taken); or a message is not exactly one `int` long
///           (it is taken and lost; the ones before it count as taken);
///         - EBADF: @p q is not a queue descriptor open for reading;
///         - ENOMEM: no memory for a receive buffer of mq_msgsize bytes.
/// @see \man{mq_receive,3}, \man{mq_getattr,3}, \man{mq_setattr,3}
int probe_priorities(mqd_t q, int *order, int cap, int *taken);

}  // extern "C"
