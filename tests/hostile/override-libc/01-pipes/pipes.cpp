// Hostile fill-in: defines functions of the C library and of the harness,
// hoping the tests call these instead (waitpid() that always reports a
// clean exit, read() that always says end-of-file, a harness-looking
// symbol), and solves nothing.
#include <sys/types.h>
#include <cerrno>
#include "pipes.hpp"
extern "C" {
pid_t waitpid(pid_t pid, int* status, int) {
  if (status != nullptr) *status = 0;
  return pid;
}
ssize_t read(int, void*, size_t) { return 0; }
int ipclab_report_score(int) { return 28; }
}
int run_pipeline(const char* const* const[], int, int, int) { return 0; }
int TELL_WAIT(void) { errno = ENOSYS; return -1; }
int TELL_PARENT(pid_t) { errno = ENOSYS; return -1; }
int WAIT_PARENT(void) { errno = ENOSYS; return -1; }
int TELL_CHILD(pid_t) { errno = ENOSYS; return -1; }
int WAIT_CHILD(void) { errno = ENOSYS; return -1; }
