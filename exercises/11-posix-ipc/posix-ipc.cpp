// Chapter 11 — POSIX message queues and shared memory. Fill in each function;
// the contract is posix-ipc.hpp. Check your work with:  ./ipclab check posix-ipc
#include "posix-ipc.hpp"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cstring>

mqd_t pq_create(const char* name, long maxmsg, long msgsize) {
  // TODO: check the name (one leading slash, no other) and the sizes
  // (EINVAL); fill a struct mq_attr; mq_open with O_CREAT | O_EXCL | O_RDWR.
  (void)name, (void)maxmsg, (void)msgsize;
  errno = ENOSYS;
  return static_cast<mqd_t>(-1);
}

int pq_send_job(mqd_t q, const char* text, int rank) {
  // TODO: check the arguments (EINVAL); mq_send the text with a priority
  // made from the rank. Which priority does mq_receive take first?
  (void)q, (void)text, (void)rank;
  errno = ENOSYS;
  return -1;
}

ssize_t pq_take(mqd_t q, char* buf, size_t cap, int* rank, long timeout_ms) {
  // TODO: receive into a buffer of the queue's mq_msgsize (mq_getattr),
  // then copy into buf with a NUL. timeout_ms 0: O_NONBLOCK for this one
  // receive (mq_setattr), put back after; > 0: mq_timedreceive.
  (void)q, (void)buf, (void)cap, (void)rank, (void)timeout_ms;
  errno = ENOSYS;
  return -1;
}

long pq_collect(mqd_t q, int rounds) {
  // TODO: block PQ_NOTIFY_SIGNAL; each round: mq_notify (SIGEV_SIGNAL),
  // take what is queued without waiting, sigwaitinfo. Then restore the mask.
  (void)q, (void)rounds;
  errno = ENOSYS;
  return -1;
}

int pq_destroy(mqd_t q, const char* name) {
  // TODO: mq_close the descriptor and remove the name.
  (void)q, (void)name;
  errno = ENOSYS;
  return -1;
}

void* shm_region_create(const char* name, size_t size) {
  // TODO: check the name and size (EINVAL); shm_open with O_CREAT | O_EXCL;
  // give the object its size; mmap it MAP_SHARED; close the descriptor.
  (void)name, (void)size;
  errno = ENOSYS;
  return nullptr;
}

void* shm_region_open(const char* name, size_t* size) {
  // TODO: shm_open the existing object; fstat for its size; mmap; close.
  (void)name, (void)size;
  errno = ENOSYS;
  return nullptr;
}

int shm_region_remove(const char* name) {
  // TODO: remove the name.
  (void)name;
  errno = ENOSYS;
  return -1;
}
