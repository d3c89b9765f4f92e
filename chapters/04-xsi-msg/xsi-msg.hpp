/// @file xsi-msg.hpp
/// @brief Chapter 04 exercise contract: a typed mailbox over an XSI message
///        queue, and a request/reply client–server on top of it.
///
/// Implement these in `exercises/04-xsi-msg/xsi-msg.cpp`. Every function
/// follows the POSIX convention: on failure it returns -1 and sets errno.
/// See APUE 3e sections 15.6 (identifiers, keys, permissions) and 15.7
/// (message queues).
///
/// A mailbox is a message queue, named by its identifier (what msgget()
/// returns). Every message has a type (a `long` ≥ 1) and a payload of 0 or
/// more bytes; the length of a message is the length of its payload only,
/// never counting the type.
/// @see The notes: @ref ch04_xsi_msg
#pragma once

#include <sys/types.h>

#include <cstddef>

extern "C" {

/// Constants shared by the client and the server.
enum {
  /// The message type every request is sent with. Replies are sent with the
  /// requesting client's pid as their type (a pid is never 1 for a client).
  MBOX_REQUEST = 1,
  /// The longest text a request may carry, in bytes.
  MBOX_TEXT_MAX = 256,
};

/// The payload of a request message (what follows its mtype): the pid of
/// the client that waits for the reply, then the text, without a
/// terminating NUL. A request of text length n is therefore
/// `offsetof(mbox_request, text) + n` bytes long.
struct mbox_request {
  pid_t client;               ///< where the reply goes: its mtype
  char text[MBOX_TEXT_MAX];   ///< the first n bytes are the text
};

/// Opens the message queue whose key is `ftok(path, proj_id)`, creating it
/// with permission bits @p perms when no queue has that key yet.
///
/// @param path     an existing file that client and server agree on
/// @param proj_id  the project id, 1 to 255 (ftok uses its low 8 bits)
/// @param perms    the queue's permission bits when it is created: any
///                 combination of 0666 (read = receive, write = send)
/// @return the queue's identifier (≥ 0); -1 with errno.
/// @par Errors
/// - EINVAL: @p path is null, @p proj_id is outside 1..255, or @p perms has
///   bits outside 0666 (checked before anything else).
/// - ENOENT, EACCES, ENOTDIR...: as ftok() (that is, stat()) sets it.
/// - EACCES: the queue exists and its permission bits refuse the access
///   @p perms asks for (msgget() checks them).
/// - ENOSPC: as msgget() sets it (the system's limit of queues).
///
/// An existing queue keeps its permission bits. Nothing to close: a queue
/// is not a descriptor, it lives until mbox_remove().
/// @see \man{ftok,3}, \man{msgget,2}, \man{sysvipc,7}
int mbox_open(const char* path, int proj_id, int perms);

/// Appends a message of type @p type whose payload is the @p len bytes at
/// @p data; waits while the queue is full.
/// @param id    the queue, as mbox_open() returned it
/// @param type  the message's type, at least 1
/// @param data  the payload (may be null when @p len is 0)
/// @param len   the payload's length in bytes
/// @return 0; -1 with errno.
/// @par Errors
/// - EINVAL: @p type < 1, or @p data is null while @p len > 0, or as
///   msgsnd() sets it (no such queue, @p len above the system's largest
///   message).
/// - EACCES: the queue's permission bits forbid this process to send.
/// - EIDRM: the queue was removed while the call waited.
/// - EINTR: a signal handler interrupted the wait.
/// @see \man{msgsnd,2}
int mbox_send(int id, long type, const void* data, size_t len);

/// Takes one message off the queue, chosen by @p type exactly as msgrcv()
/// chooses:
/// - @p type == 0: the oldest message of the queue, whatever its type;
/// - @p type  > 0: the oldest message whose type is exactly @p type;
/// - @p type  < 0: among the messages whose type is ≤ |@p type|, the oldest
///   of the lowest type (so small types act as high priorities).
///
/// Without IPC_NOWAIT it waits until such a message arrives.
///
/// @param id             the queue, as mbox_open() returned it
/// @param type           which message to take, by the rules above
/// @param[out] got_type  where to store the received message's type (may be null)
/// @param[out] buf       where to copy the payload, @p cap bytes of room
///                       (may be null when @p cap is 0)
/// @param cap            the room at @p buf, in bytes
/// @param flags          0, or IPC_NOWAIT and/or MSG_NOERROR (<sys/msg.h>)
/// @return the number of payload bytes copied into @p buf; -1 with errno.
/// @par Errors
/// - ENOMSG: IPC_NOWAIT was given and no message matches @p type.
/// - E2BIG: the chosen message is longer than @p cap and MSG_NOERROR was
///   not given: it stays on the queue, untouched. With MSG_NOERROR it is
///   taken and cut to its first @p cap bytes.
/// - EIDRM: the queue was removed while the call waited.
/// - EINVAL: @p flags has other bits, @p buf is null while @p cap > 0, or
///   no such queue.
/// - EACCES: the queue's permission bits forbid this process to receive.
/// - EINTR: a signal handler interrupted the wait (not restarted).
///
/// Whatever buffer it allocates is freed before it returns.
/// @see \man{msgrcv,2}
ssize_t mbox_recv(int id, long type, long* got_type, void* buf, size_t cap, int flags);

/// The number of messages on the queue now (msgctl IPC_STAT, msg_qnum).
/// @param id  the queue, as mbox_open() returned it
/// @return the count; -1 with errno.
/// @par Errors
/// - EINVAL: no such queue.
/// - EACCES: the queue's permission bits forbid reading.
/// @see \man{msgctl,2}
long mbox_count(int id);

/// Removes the queue at once (msgctl IPC_RMID): its messages are discarded,
/// every process waiting in send or receive fails with EIDRM, and the
/// identifier is dead from then on.
/// @param id  the queue, as mbox_open() returned it
/// @return 0; -1 with errno.
/// @par Errors
/// - EINVAL: no such queue (or removed already).
/// - EPERM: the caller is neither the queue's owner nor its creator.
/// @see \man{msgctl,2}
int mbox_remove(int id);

/// The server: takes requests (type MBOX_REQUEST) one after the other and
/// answers each with one message of type `request.client` whose payload is
/// the request's text with every ASCII lower-case letter turned upper-case
/// (same length, no NUL). Returns once it has answered @p count requests.
///
/// A request shorter than `offsetof(mbox_request, text)`, or whose client is
/// < 2, is discarded: neither answered nor counted. A request longer than
/// `sizeof(mbox_request)` is cut to that size (MSG_NOERROR). Interrupted
/// waits (EINTR) are restarted.
/// @param id     the queue clients send their requests to
/// @param count  how many requests to answer, at least 1
/// @return 0 once @p count requests were answered; -1 with errno.
/// @par Errors
/// - EINVAL: @p count < 1, or no such queue.
/// - EIDRM: the queue was removed while it waited.
/// - as mbox_send() or mbox_recv() set it (never EINTR).
/// @see \man{msgrcv,2}, \man{msgsnd,2}
int mbox_serve(int id, int count);

/// The client: sends the request {getpid(), @p text} with type MBOX_REQUEST,
/// then waits for the reply addressed to it (type getpid()) and copies the
/// reply's payload into @p reply, followed by a NUL. Messages addressed to
/// others are left on the queue. Interrupted waits (EINTR) are restarted.
///
/// @param id          the queue the server reads
/// @param text        the request's text, NUL-terminated, at most
///                    MBOX_TEXT_MAX bytes long (not counting the NUL)
/// @param[out] reply  room for @p cap bytes, the NUL included
/// @param cap         the room at @p reply, in bytes
/// @return the length of the reply (not counting the NUL); -1 with errno.
/// @par Errors
/// - EINVAL: @p text or @p reply is null, @p text is longer than
///   MBOX_TEXT_MAX, or @p cap ≤ strlen(@p text) (no room for the reply and
///   its NUL) — all checked before anything is sent.
/// - E2BIG: the reply is longer than @p cap - 1 (it stays queued).
/// - EIDRM: the queue was removed while it waited for the reply.
/// - as mbox_send() or mbox_recv() set it (never EINTR).
/// @see \man{msgsnd,2}, \man{msgrcv,2}, \man{getpid,2}
ssize_t mbox_call(int id, const char* text, char* reply, size_t cap);

}  // extern "C"
