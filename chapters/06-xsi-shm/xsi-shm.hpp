/// @file xsi-shm.hpp
/// @brief Chapter 06 exercise contract: attaching XSI shared memory, and a
///        lock-step copy through one segment guarded by two XSI semaphores.
///
/// Implement these in `exercises/06-xsi-shm/xsi-shm.cpp`. Every function
/// follows the POSIX convention: on failure it returns -1 (or a null
/// pointer) and sets errno. See APUE 3e sections 15.9 (shared memory) and
/// 15.8 (semaphores).
/// @see The notes: @ref ch06_xsi_shm
#pragma once

#include <stddef.h>

extern "C" {

/// Attaches segment @p shmid where the kernel chooses, for reading and
/// writing, or for reading only (SHM_RDONLY) when @p readonly is non-zero.
/// A store through a read-only attachment raises SIGSEGV.
/// @param shmid     the segment (from shmget())
/// @param readonly  non-zero to attach it with SHM_RDONLY
/// @return the address of the attachment, or a null pointer with errno set
///         by shmat(). shmat()'s own failure value, `(void *)-1`, is never
///         returned.
/// @par Errors
/// - EINVAL: no such segment.
/// - EACCES: the segment's mode does not allow the access asked for.
/// - EIDRM: the segment was removed.
/// @see \man{shmat,2}
void* xshm_attach(int shmid, int readonly);

/// Detaches the attachment at @p addr (the segment's `shm_nattch` drops by
/// one; a segment marked for removal disappears at its last detach).
/// @param addr  an address xshm_attach() returned
/// @return 0, or -1 with errno.
/// @par Errors
/// - EINVAL: nothing is attached at @p addr.
/// @see \man{shmdt,2}
int xshm_detach(const void* addr);

/// Copies every byte that can be read from @p in_fd to @p out_fd through one
/// XSI shared memory segment with room for @p seg_size bytes of data, in
/// lock-step:
/// - it creates a private segment (IPC_PRIVATE) of at least @p seg_size bytes
///   (a small header of your own, e.g. the byte count of a block, may come
///   first) and a private set of two semaphores, "empty" (1) and "full" (0);
/// - it forks one child, the writer: it attaches the segment, and until
///   end-of-file waits for "empty", reads up to @p seg_size bytes of
///   @p in_fd into the segment, records how many, and posts "full"; it
///   announces end-of-file with a block of 0 bytes and a failed read() with
///   its errno, then detaches and `_exit`s;
/// - the caller is the reader: it attaches the segment (it may do so with
///   SHM_RDONLY), and for each block waits for "full", writes the block to
///   @p out_fd (all of it, retrying short writes and EINTR), then posts
///   "empty".
///
/// While the copy runs the segment is attached twice, once in each process,
/// and never more. Whatever happens, before it returns: the writer has been
/// reaped (killed first if it cannot finish), the caller has detached, and
/// the segment and the semaphore set are removed (IPC_RMID), so nothing is
/// left. @p in_fd and @p out_fd stay open.
///
/// @param in_fd    a descriptor open for reading (a file, a pipe...)
/// @param out_fd   a descriptor open for writing
/// @param seg_size the data capacity of the segment, at least 1; the input
///                 need not be a multiple of it
/// @return the number of bytes copied (0 for an empty input), or -1 with errno.
/// @par Errors
/// - EINVAL: @p seg_size is 0.
/// - EBADF: @p in_fd is not open for reading or @p out_fd is not open for
///   writing (checked with fcntl(F_GETFL) before anything is created).
/// - the errno of a failed read() of @p in_fd in the writer (e.g. EISDIR),
///   passed through the segment.
/// - the errno of a failed write() to @p out_fd (e.g. EPIPE when its reader
///   has gone and SIGPIPE is ignored).
/// - whatever shmget(), semget(), semctl(), shmat(), semop() or fork() set.
/// @see \man{shmget,2}, \man{shmat,2}, \man{shmdt,2}, \man{shmctl,2}, \man{semget,2},
///      \man{semop,2}, \man{semctl,2}, \man{fork,2}, \man{fcntl,2}
long xshm_copy(int in_fd, int out_fd, size_t seg_size);

}  // extern "C"
