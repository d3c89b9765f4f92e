// Chapter 03 — FIFOs. Fill in each function; the contract is fifos.hpp.
// Check your work with:  ./ipclab check fifos
#include "fifos.hpp"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int lab_fifo_open_writer(const char* path) {
  // TODO: open(path, O_WRONLY | O_NONBLOCK): with no reader that fails at
  // once with ENXIO instead of waiting. Refuse what is not a FIFO (fstat,
  // S_ISFIFO: EINVAL), then clear O_NONBLOCK with fcntl.
  (void)path;
  errno = ENOSYS;
  return -1;
}

int lab_fifo_server_open(struct lab_fifo_server* srv, const char* path) {
  // TODO: check the arguments and the path's length; mkfifo(path, 0600);
  // open it for reading without blocking, then for writing (your own write
  // end), then make the read end blocking. Undo everything on failure.
  (void)srv, (void)path;
  errno = ENOSYS;
  return -1;
}

long lab_fifo_server_run(struct lab_fifo_server* srv, long max_requests) {
  // TODO: read one struct lab_fifo_request at a time; for each, open the
  // client's FIFO "<path>.<pid>" with O_WRONLY | O_NONBLOCK (skip it when
  // that fails), write one struct lab_fifo_reply, close. Do not let SIGPIPE
  // kill the server. Count the replies written.
  (void)srv, (void)max_requests;
  errno = ENOSYS;
  return -1;
}

int lab_fifo_server_close(struct lab_fifo_server* srv) {
  // TODO: close both descriptors, mark them -1, unlink the FIFO.
  (void)srv;
  errno = ENOSYS;
  return -1;
}

ssize_t lab_fifo_ask(const char* server_path, const char* text, char* reply, size_t size) {
  // TODO: make your FIFO "<server_path>.<getpid()>", open it for reading
  // (non-blocking) and for writing, send one request to the server with a
  // single write, read one reply, then close everything and unlink your FIFO.
  (void)server_path, (void)text, (void)reply, (void)size;
  errno = ENOSYS;
  return -1;
}
