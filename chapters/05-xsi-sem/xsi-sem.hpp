/// @file xsi-sem.hpp
/// @brief Chapter 05 exercise contract: a race-free create-or-open of an XSI
///        semaphore set, and a binary lock with SEM_UNDO on top of it.
///
/// Implement these in `exercises/05-xsi-sem/xsi-sem.cpp`. Every function
/// follows the POSIX convention: on failure it returns -1 and sets errno.
/// See APUE 3e section 15.8 (semaphores) and 15.6.1–15.6.2 (keys, ipc_perm).
/// @see The notes: @ref ch05_xsi_sem
#pragma once

#include <sys/types.h>

extern "C" {

/// Creates the semaphore set of @p key, or opens it when it already exists,
/// so that it is initialised exactly once even when many processes race.
///
/// The process whose semget(IPC_CREAT | IPC_EXCL) succeeds is the creator:
/// it sets every one of the @p nsems semaphores to @p initial *with a
/// semop()*, so that the set's `sem_otime` becomes non-zero only once the
/// values are in place. Every other caller opens the existing set and,
/// before returning, waits until `sem_otime` is non-zero (IPC_STAT, retried
/// about every millisecond). It never changes the values of a set that
/// exists already.
///
/// @param key      the key (from ftok(), or IPC_PRIVATE for a new private set)
/// @param nsems    how many semaphores the set has, at least 1
/// @param initial  the value of each semaphore, 0 to 32767 (SEMVMX). 0 is
///                 valid (a lock that starts taken): the creator's semop()
///                 is then made of wait-for-zero operations, which succeed at
///                 once and set `sem_otime` all the same.
/// @param perms    permission bits (e.g. 0600) for a new set; for an existing
///                 one, the access the caller asks for (passed to semget)
/// @return the set's identifier (>= 0), or -1 with errno. A creator that
///         fails after semget() removes the set it created.
/// @par Errors
/// - EINVAL: @p nsems < 1, @p initial out of range, or the existing set has
///   fewer than @p nsems semaphores.
/// - EACCES: the set exists and its mode does not grant @p perms.
/// - ETIMEDOUT: the set exists but nobody initialised it within about one
///   second (its `sem_otime` stayed 0); the set is left as it was (not
///   removed, values untouched).
/// - EIDRM: the set was removed while waiting for its initialisation (Linux's
///   IPC_STAT then says EINVAL, the identifier being dead: report EIDRM).
/// - E2BIG: @p nsems is above SEMOPM, the most operations one semop() takes
///   (500 on Linux, third field of /proc/sys/kernel/sem): the creator's
///   single semop() refuses it, and the set it created is removed.
/// - ENOSPC: the system limit of sets or semaphores was reached.
/// - whatever semget(), semctl() or semop() set otherwise.
/// @see \man{semget,2}, \man{semop,2}, \man{semctl,2} (IPC_STAT), \man{nanosleep,2}
int xsem_open(key_t key, int nsems, int initial, int perms);

/// Takes the binary lock @p semnum of set @p semid: waits (asleep in
/// semop(), not spinning) until its value is 1, then makes it 0, with
/// SEM_UNDO so that the kernel gives the lock back if this process dies
/// holding it. A wait interrupted by a signal (EINTR) is resumed.
/// @param semid   the set, as xsem_open() returned it
/// @param semnum  which semaphore of the set is the lock, from 0
/// @return 0, or -1 with errno.
/// @par Errors
/// - EINVAL: @p semid names no set.
/// - EFBIG: @p semnum is not a semaphore of the set: negative, at least the
///   set's size, or above 65535 (sembuf's `sem_num` is an unsigned short:
///   65536 must not wrap to semaphore 0).
/// - EIDRM: the set was removed while waiting.
/// - EACCES: the caller may not alter the set.
/// @see \man{semop,2} (SEM_UNDO)
int xsem_lock(int semid, int semnum);

/// Like xsem_lock(), but never waits.
/// @param semid   the set, as xsem_open() returned it
/// @param semnum  which semaphore of the set is the lock, from 0
/// @return 0 when the lock was taken; -1 with errno.
/// @par Errors
/// - EAGAIN: another process holds the lock.
/// - EINVAL, EFBIG, EACCES: as for xsem_lock().
/// @see \man{semop,2} (IPC_NOWAIT)
int xsem_trylock(int semid, int semnum);

/// Releases the lock taken by xsem_lock() or xsem_trylock() in this process
/// (adds 1, with SEM_UNDO so that the two undo adjustments cancel out).
/// @param semid   the set, as xsem_open() returned it
/// @param semnum  which semaphore of the set is the lock, from 0
/// @return 0, or -1 with errno.
/// @par Errors
/// - EINVAL, EFBIG, EIDRM, EACCES: as for xsem_lock().
/// @see \man{semop,2}
int xsem_unlock(int semid, int semnum);

/// Removes set @p semid at once (IPC_RMID): processes waiting on it wake up
/// with EIDRM, and the identifier becomes invalid.
/// @param semid  the set, as xsem_open() returned it
/// @return 0, or -1 with errno.
/// @par Errors
/// - EINVAL: @p semid names no set (e.g. removed already).
/// - EPERM: the caller neither owns nor created the set.
/// @see \man{semctl,2} (IPC_RMID)
int xsem_remove(int semid);

}  // extern "C"
