/// @file posix-ipc.hpp
/// @brief Chapter 11 exercise contract: a job queue on a POSIX message
///        queue (ranks as priorities, non-blocking and timed takes,
///        notification), and named POSIX shared memory regions.
///
/// Implement these in `exercises/11-posix-ipc/posix-ipc.cpp`. Every function
/// follows the POSIX convention: on failure it returns -1 (or a null
/// pointer, or (mqd_t)-1) and sets errno. POSIX IPC goes beyond APUE; its
/// notes are the reference, with mq_overview(7) and shm_overview(7).
///
/// A POSIX IPC name is one slash followed by 1 to 255 characters, none of
/// them a slash: "/jobs", "/ipclab-region.4242".
/// @see The notes: @ref ch11_posix_ipc
#pragma once

#include <mqueue.h>
#include <signal.h>
#include <stddef.h>
#include <sys/types.h>

extern "C" {

/// Constants of the job queue.
enum {
  /// Ranks go from 1 (most urgent) to PQ_RANKS (least urgent), the way a
  /// negative msgrcv() type orders XSI messages (chapter 04).
  PQ_RANKS = 8,
  /// The signal pq_collect() asks mq_notify() to send.
  PQ_NOTIFY_SIGNAL = SIGUSR1,
};

/// Creates a new message queue named @p name, which must not exist yet,
/// open for sending and receiving, with permission bits 0600 and room for
/// @p maxmsg messages of at most @p msgsize bytes each.
///
/// @param name     a POSIX IPC name (see above)
/// @param maxmsg   the most messages the queue holds, at least 1
/// @param msgsize  the longest message in bytes, at least 1
/// @return the queue's descriptor; (mqd_t)-1 with errno.
/// @par Errors
/// - EINVAL: @p name is null, does not start with a slash, is only "/",
///   or holds a second slash; @p maxmsg or @p msgsize is below 1 (all
///   checked before anything is created); or, from mq_open(), @p maxmsg or
///   @p msgsize is above this system's limit for unprivileged processes
///   (/proc/sys/fs/mqueue/msg_max and msgsize_max).
/// - EEXIST: a queue with that name exists already (it is left untouched).
/// - ENAMETOOLONG, EMFILE, ENFILE, ENOSPC (queues_max), ENOMEM,
///   EACCES: as mq_open() sets them.
/// @see \man{mq_open,3}, \man{mq_overview,7}
mqd_t pq_create(const char* name, long maxmsg, long msgsize);

/// Sends the @p text (its strlen() bytes, without the NUL) as one message
/// of priority PQ_RANKS - @p rank: rank 1 must come out before rank 2, and
/// so on, and jobs of one rank come out in the order sent. Waits
/// while the queue is full, unless the queue descriptor is non-blocking.
///
/// @param q     a queue open for sending
/// @param text  the job, NUL-terminated
/// @param rank  1 (most urgent) to PQ_RANKS
/// @return 0; -1 with errno.
/// @par Errors
/// - EINVAL: @p text is null or @p rank is outside 1..PQ_RANKS (nothing
///   sent).
/// - EMSGSIZE: @p text is longer than the queue's mq_msgsize.
/// - EAGAIN: the queue is full and @p q is non-blocking (O_NONBLOCK).
/// - EBADF: @p q is not a queue open for sending.
/// - EINTR: a signal handler interrupted the wait.
/// @see \man{mq_send,3}
int pq_send_job(mqd_t q, const char* text, int rank);

/// Takes the oldest of the most urgent messages on the queue, waiting for
/// one as @p timeout_ms says, and copies it into @p buf followed by a NUL.
///
/// mq_receive() refuses any buffer smaller than the queue's mq_msgsize,
/// however short the message: pq_take receives into a buffer of its own of
/// that size and copies from it. When the message has @p cap bytes or more,
/// its first @p cap - 1 bytes are copied (the rest is lost) and the full
/// length is still returned, as snprintf() does.
///
/// @param q              a queue open for receiving
/// @param[out] buf       room for @p cap bytes
/// @param cap            at least 1
/// @param[out] rank      where to store the message's rank, PQ_RANKS
///                       minus its priority (may be null)
/// @param timeout_ms     < 0: wait as long as it takes; 0: do not wait at
///                       all; > 0: wait at most that many milliseconds
/// @return the message's length (not counting the NUL); -1 with errno.
/// @par Errors
/// - EINVAL: @p buf is null or @p cap is 0 (nothing taken).
/// - EAGAIN: the queue is empty and @p timeout_ms is 0, or @p q itself is
///   non-blocking. pq_take never changes whether @p q is non-blocking for
///   its other users: a change made to take without waiting is undone
///   before it returns.
/// - ETIMEDOUT: nothing arrived within @p timeout_ms (> 0) milliseconds.
/// - EBADF: @p q is not a queue open for receiving.
/// - EINTR: a signal handler interrupted the wait.
/// - ENOMEM: no memory for the buffer.
/// @see \man{mq_receive,3}, \man{mq_timedreceive,3}, \man{mq_getattr,3},
///      \man{mq_setattr,3}
ssize_t pq_take(mqd_t q, char* buf, size_t cap, int* rank, long timeout_ms);

/// Waits, without polling, for @p rounds notifications that messages
/// arrived on the empty queue, and takes (without waiting) every message
/// there is after each, the way an event loop does. One round: register
/// with mq_notify() for PQ_NOTIFY_SIGNAL (SIGEV_SIGNAL), take whatever is
/// already queued, then wait for the signal (sigwaitinfo()). A registration
/// is used up by the notification it sends, so every round registers
/// anew. After the last round, what has arrived is taken too.
///
/// PQ_NOTIFY_SIGNAL is blocked while the function runs (otherwise it would
/// kill the process) and the caller's signal mask is restored on return.
/// No registration is left in place on return.
///
/// @param q       a queue open for receiving, whose descriptor is blocking
/// @param rounds  how many notifications to wait for, at least 1
/// @return how many messages were taken in all; -1 with errno.
/// @par Errors
/// - EINVAL: @p rounds < 1.
/// - EBUSY: another process is registered for notification on the queue.
/// - EBADF: @p q is not a queue descriptor.
/// - as pq_take() sets them (never EAGAIN).
/// @see \man{mq_notify,3}, \man{sigwaitinfo,2}, \man{sigprocmask,2}
long pq_collect(mqd_t q, int rounds);

/// Closes @p q and removes the queue's @p name. Processes that still have
/// the queue open go on using it; it is destroyed when the last one closes.
/// @param q     a queue descriptor from pq_create() or mq_open()
/// @param name  the queue's name
/// @return 0; -1 with errno (@p q is closed whatever happens).
/// @par Errors
/// - EINVAL: @p name is null.
/// - EBADF: @p q is not a queue descriptor.
/// - ENOENT: no queue has that name.
/// @see \man{mq_close,3}, \man{mq_unlink,3}
int pq_destroy(mqd_t q, const char* name);

/// Creates a new shared memory object named @p name, which must not exist
/// yet, with permission bits 0600, gives it @p size bytes (zero-filled),
/// and maps all of it shared, for reading and writing. The descriptor is
/// closed before returning: the mapping keeps the object alive. Processes
/// forked afterwards share the mapping; any process may map it by name with
/// shm_region_open(). Unmap with munmap(addr, size).
///
/// glibc's shm_open() forgives a name without the leading slash; this
/// function does not (other systems do not either).
///
/// @param name  a POSIX IPC name (see above)
/// @param size  the region's size in bytes, at least 1
/// @return the region's address; a null pointer with errno. On failure
///         nothing is left: no descriptor, no mapping, no name.
/// @par Errors
/// - EINVAL: @p name is null, does not start with a slash, is only "/",
///   or holds a second slash, or @p size is 0 (nothing created).
/// - EEXIST: an object with that name exists already; it is left as it
///   was, contents and size included.
/// - ENAMETOOLONG, EMFILE, ENFILE, EACCES: as shm_open() sets them.
/// - EFBIG, ENOSPC: as ftruncate() sets them; ENOMEM: as mmap() sets it.
/// @see \man{shm_open,3}, \man{ftruncate,2}, \man{mmap,2}, \man{shm_overview,7}
void* shm_region_create(const char* name, size_t size);

/// Maps the whole of the existing shared memory object named @p name,
/// shared, for reading and writing, and stores its size in @p size. The
/// descriptor is closed before returning.
///
/// @param name        the object's name
/// @param[out] size   receives the object's size in bytes
/// @return the region's address; a null pointer with errno (then nothing is
///         left open or mapped, and @p size is unchanged).
/// @par Errors
/// - EINVAL: @p name or @p size is null, or the object is empty (size 0:
///   there is nothing to map).
/// - ENOENT: no object has that name.
/// - EACCES: as shm_open() sets it.
/// @see \man{shm_open,3}, \man{fstat,2}, \man{mmap,2}
void* shm_region_open(const char* name, size_t* size);

/// Removes the name of a shared memory object. Mappings of it stay valid;
/// its memory is freed when the last one is unmapped.
/// @param name  the object's name
/// @return 0; -1 with errno.
/// @par Errors
/// - EINVAL: @p name is null.
/// - ENOENT: no object has that name.
/// - EACCES: as shm_unlink() sets it.
/// @see \man{shm_unlink,3}
int shm_region_remove(const char* name);

}  // extern "C"
