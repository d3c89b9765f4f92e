/// @file posix-sem.hpp
/// @brief Chapter 08 exercise contract: APUE's slock on a named POSIX
///        semaphore, and a bounded buffer on unnamed ones.
///
/// Implement these in `exercises/08-posix-sem/posix-sem.cpp`. Every function
/// follows the POSIX convention: on failure it returns -1 (or a null
/// pointer) and sets errno. See APUE 3e section 15.10 (POSIX semaphores,
/// figure 15.35 for slock) and 15.9 for the shared mapping.
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
/// @return the lock; a null pointer with errno on failure: as malloc() or
///         sem_open() set it (ENOMEM, EMFILE, ENFILE, EACCES, ENOSPC). On
///         failure nothing is left open or named.
struct slock* s_alloc(void);

/// Closes the lock's semaphore and frees the lock (in the calling process).
/// @return 0; -1 with errno EINVAL if @p sp is null, or as sem_close() sets it.
int s_free(struct slock* sp);

/// Takes the lock, waiting as long as another process holds it.
/// A signal that interrupts the wait does not end it (retry on EINTR).
/// @return 0; -1 with errno EINVAL if @p sp is null, or as sem_wait() sets it.
int s_lock(struct slock* sp);

/// Takes the lock if it is free, without waiting.
/// @return 0; -1 with errno EAGAIN if it is held, EINVAL if @p sp is null.
int s_trylock(struct slock* sp);

/// Takes the lock, waiting at most @p timeout_ms milliseconds.
/// sem_timedwait() wants an absolute CLOCK_REALTIME deadline: now plus the
/// timeout, with tv_nsec kept below one second. Retry on EINTR.
/// @return 0; -1 with errno on failure:
///         - ETIMEDOUT: the lock was still held at the deadline;
///         - EINVAL: @p sp is null or @p timeout_ms < 0.
int s_timedlock(struct slock* sp, long timeout_ms);

/// Releases the lock. A semaphore has no owner: any process may release it,
/// and releasing a free lock is a mistake this call does not detect.
/// @return 0; -1 with errno EINVAL if @p sp is null, or as sem_post() sets it.
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
/// @return the buffer; a null pointer with errno on failure:
///         - EINVAL: @p capacity is 0 or more than BBUF_MAX;
///         - as mmap() or sem_init() set it (ENOMEM); nothing is left mapped.
struct bbuf* bbuf_create(unsigned capacity);

/// Appends @p item, waiting while the buffer is full (retry on EINTR).
/// Several producers may put at once; each item goes in exactly once.
/// @return 0; -1 with errno EINVAL if @p b is null.
int bbuf_put(struct bbuf* b, long item);

/// Removes the oldest item into @p item, waiting while the buffer is empty
/// (retry on EINTR). Several consumers may get at once; each item comes out
/// exactly once.
/// @return 0; -1 with errno EINVAL if @p b or @p item is null.
int bbuf_get(struct bbuf* b, long* item);

/// How many items the buffer holds now (sem_getvalue() on the item count).
/// @return 0 to the capacity; -1 with errno EINVAL if @p b is null.
int bbuf_count(struct bbuf* b);

/// Destroys the semaphores and unmaps the buffer. Call it once, in one
/// process, when no process uses the buffer any more.
/// @return 0; -1 with errno EINVAL if @p b is null, or as munmap() sets it.
int bbuf_destroy(struct bbuf* b);

}  // extern "C"
