/// @file posix-sem.hpp
/// @brief Chapter 08 exercise contract: APUE's slock on a named POSIX
///        semaphore, and a bounded buffer on unnamed ones.
///
/// Implement these in `exercises/08-posix-sem/posix-sem.cpp`. Every function
/// follows the POSIX convention: on failure it returns -1 (or a null
/// pointer) and sets errno. See APUE 3e section 15.10 (POSIX semaphores,
/// figure 15.35 for slock) and 15.9 for the shared mapping.
/// @see The notes: @ref ch08_posix_sem
#pragma once

#include <stddef.h>

extern "C" {

/// A lock built on a named POSIX semaphore of initial value 1 (APUE 15.10).
/// You define the structure in your .cpp (the sem_t* and its name).
struct slock;

/// Allocates a new, unlocked slock.
///
/// Opens a semaphore with a name no other lock uses (for example
/// "/ipclab-slock.<pid>.<count>"), creating it exclusively with value 1 and
/// trying the next name when that one exists already. Then it removes the
/// name at once, so that nothing is left in /dev/shm even if every process
/// dies: the semaphore lives on, nameless, as long as some process has it
/// open. Children forked afterwards share it.
/// @return the lock; a null pointer with errno on failure. On failure
///         nothing is left open or named.
/// @par Errors
/// - ENOMEM, EMFILE, ENFILE, EACCES, ENOSPC: as malloc() or sem_open() set
///   them (never EEXIST: a name in use means trying the next one).
/// @see \man{sem_open,3} (O_CREAT | O_EXCL), \man{sem_unlink,3}, \man{sem_overview,7}
struct slock* s_alloc(void);

/// Closes the lock's semaphore and frees the lock (in the calling process).
/// @param sp  from s_alloc()
/// @return 0; -1 with errno.
/// @par Errors
/// - EINVAL: @p sp is null.
/// - as sem_close() sets it (the lock is freed anyway).
/// @see \man{sem_close,3}
int s_free(struct slock* sp);

/// Takes the lock, waiting as long as another process holds it.
/// A signal that interrupts the wait does not end it (retry on EINTR).
/// @param sp  from s_alloc()
/// @return 0; -1 with errno.
/// @par Errors
/// - EINVAL: @p sp is null.
/// - as sem_wait() sets it, except EINTR (retried, never returned).
/// @see \man{sem_wait,3}
int s_lock(struct slock* sp);

/// Takes the lock if it is free, without waiting.
/// @param sp  from s_alloc()
/// @return 0; -1 with errno.
/// @par Errors
/// - EAGAIN: the lock is held.
/// - EINVAL: @p sp is null.
/// @see \man{sem_trywait,3}
int s_trylock(struct slock* sp);

/// Takes the lock, waiting at most @p timeout_ms milliseconds.
/// sem_timedwait() wants an absolute CLOCK_REALTIME deadline: now plus the
/// timeout, with tv_nsec kept below one second. Retry on EINTR.
/// @param sp          from s_alloc()
/// @param timeout_ms  the longest wait in milliseconds, 0 or more
/// @return 0; -1 with errno on failure.
/// @par Errors
/// - ETIMEDOUT: the lock was still held at the deadline.
/// - EINVAL: @p sp is null or @p timeout_ms < 0.
/// @see \man{sem_timedwait,3}, \man{clock_gettime,2}
int s_timedlock(struct slock* sp, long timeout_ms);

/// Releases the lock. A semaphore has no owner: any process may release it,
/// and releasing a free lock is a mistake this call does not detect.
/// @param sp  from s_alloc()
/// @return 0; -1 with errno.
/// @par Errors
/// - EINVAL: @p sp is null.
/// - as sem_post() sets it.
/// @see \man{sem_post,3}
int s_unlock(struct slock* sp);

/// The largest capacity bbuf_create() accepts.
enum { BBUF_MAX = 4096 };

/// A bounded FIFO of `long`s in shared memory, for producer and consumer
/// processes, synchronised by three unnamed POSIX semaphores initialised
/// with pshared = 1 inside the shared region: one counting free places, one
/// counting items, one guarding the indices. You define the structure.
struct bbuf;

/// Creates an empty buffer of @p capacity items in a new MAP_SHARED region.
/// Children forked afterwards share it. No name is created anywhere.
/// @param capacity  how many items it holds, 1 to BBUF_MAX
/// @return the buffer; a null pointer with errno on failure; nothing is
///         left mapped then.
/// @par Errors
/// - EINVAL: @p capacity is 0 or more than BBUF_MAX.
/// - ENOMEM: as mmap() or sem_init() set it.
/// @see \man{mmap,2} (MAP_SHARED | MAP_ANONYMOUS), \man{sem_init,3} (pshared = 1)
struct bbuf* bbuf_create(unsigned capacity);

/// Appends @p item, waiting while the buffer is full (retry on EINTR).
/// Several producers may put at once; each item goes in exactly once.
/// @param b     from bbuf_create()
/// @param item  the value to append
/// @return 0; -1 with errno.
/// @par Errors
/// - EINVAL: @p b is null.
/// @see \man{sem_wait,3}, \man{sem_post,3}
int bbuf_put(struct bbuf* b, long item);

/// Removes the oldest item into @p item, waiting while the buffer is empty
/// (retry on EINTR). Several consumers may get at once; each item comes out
/// exactly once.
/// @param b          from bbuf_create()
/// @param[out] item  receives the oldest item
/// @return 0; -1 with errno.
/// @par Errors
/// - EINVAL: @p b or @p item is null.
/// @see \man{sem_wait,3}, \man{sem_post,3}
int bbuf_get(struct bbuf* b, long* item);

/// How many items the buffer holds now (sem_getvalue() on the item count).
/// @param b  from bbuf_create()
/// @return 0 to the capacity; -1 with errno.
/// @par Errors
/// - EINVAL: @p b is null.
/// @see \man{sem_getvalue,3}
int bbuf_count(struct bbuf* b);

/// Destroys the semaphores and unmaps the buffer. Call it once, in one
/// process, when no process uses the buffer any more.
/// @param b  from bbuf_create()
/// @return 0; -1 with errno.
/// @par Errors
/// - EINVAL: @p b is null.
/// - as munmap() sets it.
/// @see \man{sem_destroy,3}, \man{munmap,2}
int bbuf_destroy(struct bbuf* b);

}  // extern "C"
