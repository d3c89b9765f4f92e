// Hostile fill-in: leaves XSI objects, POSIX semaphores and files behind.
#include <errno.h>
#include <fcntl.h>
#include <semaphore.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <unistd.h>
#include <string>
#include "pipes.hpp"
int run_pipeline(const char* const* const[], int, int, int) {
  for (int i = 0; i < 50; ++i) {
    msgget(IPC_PRIVATE, IPC_CREAT | 0600);
    semget(IPC_PRIVATE, 1, IPC_CREAT | 0600);
    shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
    std::string name = "/ipclab-hostile-" + std::to_string(getpid()) + "-" + std::to_string(i);
    sem_t* s = sem_open(name.c_str(), O_CREAT, 0600, 0);
    if (s != SEM_FAILED) sem_close(s);
    close(open(("/tmp" + name).c_str(), O_CREAT | O_WRONLY, 0600));
  }
  errno = ENOSYS;
  return -1;
}
