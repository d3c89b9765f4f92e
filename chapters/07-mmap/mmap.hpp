/// @file mmap.hpp
/// @brief Chapter 07 exercise contract: memory shared between related processes.
///
/// Implement these in `exercises/07-mmap/mmap.cpp`. Every function follows
/// the POSIX convention: on failure it returns -1 (or a null pointer) and
/// sets errno. See APUE 3e section 15.9 (memory mapping of /dev/zero and
/// anonymous memory mapping) and 14.8 (mmap itself).
/// @see The notes: @ref ch07_mmap
#pragma once

#include <stddef.h>
#include <sys/types.h>

extern "C" {

/// The kinds of region region_map() can create.
enum region_kind {
  REGION_DEV_ZERO = 0,   ///< /dev/zero mapped MAP_SHARED: shared with children forked later
  REGION_ANONYMOUS = 1,  ///< MAP_SHARED | MAP_ANONYMOUS: the same, without opening a file
  REGION_PRIVATE = 2,    ///< MAP_PRIVATE | MAP_ANONYMOUS: each process gets its own copy on write
};

/// Maps a new region of at least @p len bytes, readable and writable,
/// filled with zeros.
///
/// The kernel rounds the length up to a whole number of pages; every byte of
/// those pages may be used. After fork(), a REGION_DEV_ZERO or
/// REGION_ANONYMOUS region is the same memory in parent and child (a store
/// by one is seen by the other); a REGION_PRIVATE region is not.
///
/// @param len   the bytes wanted, at least 1
/// @param kind  one of region_kind
/// @return the region's address; release it with `munmap(addr, len)`.
///         A null pointer (never MAP_FAILED) with errno on failure.
/// @par Errors
/// - EINVAL: @p len is 0 or @p kind is not a region_kind.
/// - EMFILE (the descriptor table is full), ENFILE: for REGION_DEV_ZERO,
///   whatever open() sets.
/// - ENOMEM: whatever mmap() sets.
///
/// REGION_DEV_ZERO closes the descriptor of /dev/zero before it returns,
/// also on failure: the mapping stays valid without it.
/// @see \man{mmap,2}, \man{open,2}, \man{zero,4}
void* region_map(size_t len, int kind);

/// Parent and child take turns incrementing one counter in shared memory,
/// the parent first, @p nloops turns each (APUE figure 15.33).
///
/// The counter is a `long` in a region from region_map(sizeof(long), @p kind),
/// starting at 0. On each turn a process adds 1 to the counter and then
/// writes one line to @p trace_fd, `parent N\n` or `child N\n`, where N is
/// the value it just stored; only then does it hand the turn to the other
/// process. So the trace reads `parent 1`, `child 2`, `parent 3`, ... and the
/// final count is `2 * nloops`. How the two processes hand over the turn is
/// up to you (pipes, as TELL_WAIT does in chapter 01, are enough).
///
/// @param kind      REGION_DEV_ZERO or REGION_ANONYMOUS
/// @param nloops    turns per process, at least 1
/// @param trace_fd  where both processes write their lines (the caller owns it)
/// @return the counter's final value, read by the parent after it has
///         waited for the child; -1 with errno on failure.
/// @par Errors
/// - EINVAL: @p nloops < 1, or @p kind is not REGION_DEV_ZERO or
///   REGION_ANONYMOUS (a private counter cannot be shared).
/// - whatever region_map(), pipe(), fork() or write() set.
///
/// Before it returns, also on failure, the child has been waited for, every
/// descriptor it opened is closed and the region is unmapped. @p trace_fd
/// stays open.
/// @see \man{mmap,2}, \man{munmap,2}, \man{fork,2}, \man{pipe,2}, \man{waitpid,2}
long count_alternately(int kind, int nloops, int trace_fd);

/// The largest message a msg_slot holds, in bytes.
enum { SLOT_MAX = 256 };

/// slot_put() and slot_take() flag: fail with EAGAIN instead of waiting.
enum { SLOT_NOWAIT = 1 };

/// A one-message mailbox in shared memory. You define the structure in your
/// .cpp: the message, its length, whether it is full, and the
/// process-shared synchronisation of your choice.
struct msg_slot;

/// Creates an empty slot in a new shared region. A child forked afterwards
/// shares it with its parent: what one puts, the other can take.
/// @return the slot; a null pointer with errno on failure.
/// @par Errors
/// - ENOMEM, EAGAIN: as region_map() or your synchronisation's
///   initialisation sets it (a `pthread_*_init()` returns its error number:
///   store it in errno).
/// @see \man{mmap,2}, \man{pthread_mutexattr_setpshared,3}, \man{sem_init,3}
struct msg_slot* slot_create(void);

/// Puts a copy of the @p len bytes at @p msg into the slot, waiting while
/// it is full (a message put and not taken yet).
/// @param slot   from slot_create()
/// @param msg    the bytes (may be null when @p len is 0)
/// @param len    0 to SLOT_MAX
/// @param flags  0, or SLOT_NOWAIT to fail instead of waiting
/// @return 0; -1 with errno on failure.
/// @par Errors
/// - EINVAL: @p slot is null, @p msg is null while @p len > 0, or @p flags
///   holds a bit other than SLOT_NOWAIT.
/// - EMSGSIZE: @p len > SLOT_MAX (nothing is put).
/// - EAGAIN: the slot is full and @p flags has SLOT_NOWAIT.
/// @see \man{sem_wait,3}, \man{sem_post,3}
int slot_put(struct msg_slot* slot, const void* msg, size_t len, int flags);

/// Takes the message out of the slot into @p buf, waiting while it is empty.
/// @param slot      from slot_create()
/// @param[out] buf  where the message goes
/// @param cap       the bytes @p buf holds
/// @param flags     0, or SLOT_NOWAIT to fail instead of waiting
/// @return the message's length; -1 with errno on failure.
/// @par Errors
/// - EINVAL: @p slot or @p buf is null, or a bad bit in @p flags.
/// - EMSGSIZE: the message is longer than @p cap (it stays in the slot for
///   a later take with a bigger buffer).
/// - EAGAIN: the slot is empty and @p flags has SLOT_NOWAIT.
/// @see \man{sem_wait,3}, \man{sem_post,3}
ssize_t slot_take(struct msg_slot* slot, void* buf, size_t cap, int flags);

/// Releases what slot_create() set up and unmaps the slot in the calling
/// process. Call it once, when no process waits on the slot any more.
/// @param slot  from slot_create()
/// @return 0; -1 with errno.
/// @par Errors
/// - EINVAL: @p slot is null.
/// - as munmap() sets it.
/// @see \man{munmap,2}, \man{sem_destroy,3}
int slot_destroy(struct msg_slot* slot);

}  // extern "C"
