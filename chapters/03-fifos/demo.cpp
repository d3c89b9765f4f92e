// demo-fifos: a server on a well-known FIFO answers clients on their own FIFOs.
//
// The parent creates a well-known FIFO, shows that a non-blocking open for
// writing fails with ENXIO while nobody reads it, then becomes the server.
// Three child processes are the clients: each makes its own FIFO named by
// its pid, sends one fixed-size request, and reads its reply there. Every
// FIFO lives in a private directory that is removed at the end.
//
// Run it:  ./ipclab demo fifos          (add --trace to see the fd tables)
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "ipclab/die.hpp"
#include "ipclab/reap.hpp"
#include "ipclab/trace.hpp"

using namespace ipclab;

namespace {

// One request: small enough (<= PIPE_BUF) to be written atomically.
struct request {
  pid_t pid;
  char text[60];
};

std::string dir;  // the demo's private directory

std::string server_path() { return dir + "/server.fifo"; }
std::string client_path(pid_t pid) { return dir + "/client." + std::to_string(pid); }

void clear_nonblock(int fd) {
  int flags = fcntl(fd, F_GETFL);
  if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0) die_errno("fcntl(O_NONBLOCK)");
}

void show_enxio() {
  //! [enxio]
  int fd = open(server_path().c_str(), O_WRONLY | O_NONBLOCK);
  if (fd >= 0 || errno != ENXIO) die("expected ENXIO: nobody has the FIFO open for reading yet");
  //! [enxio]
  narrate("open(O_WRONLY | O_NONBLOCK) with no reader: ENXIO (without O_NONBLOCK it would wait)");
}

[[noreturn]] void client(const char* text) {
  pid_t me = getpid();
  std::string mine = client_path(me);
  //! [client]
  if (mkfifo(mine.c_str(), 0600) < 0) child_die_errno("mkfifo(client)");
  // Reading before asking: the server opens our FIFO without blocking.
  int in = open(mine.c_str(), O_RDONLY | O_NONBLOCK);
  if (in < 0) child_die_errno("open(client, O_RDONLY)");
  int keep = open(mine.c_str(), O_WRONLY);  // so read() waits, not EOF
  if (keep < 0) child_die_errno("open(client, O_WRONLY)");
  clear_nonblock(in);
  request req{me, {}};
  std::snprintf(req.text, sizeof req.text, "%s", text);
  int out = open(server_path().c_str(), O_WRONLY);
  if (out < 0) child_die_errno("open(server, O_WRONLY)");
  if (write(out, &req, sizeof req) != static_cast<ssize_t>(sizeof req))  // one write: atomic
    child_die_errno("write(request)");
  close(out);
  char reply[sizeof req.text] = {};
  if (read(in, reply, sizeof reply) != static_cast<ssize_t>(sizeof reply)) child_die_errno("read(reply)");
  close(in);
  close(keep);
  if (unlink(mine.c_str()) < 0) child_die_errno("unlink(client)");
  //! [client]
  narrate(std::string("client asked \"") + text + "\", its own FIFO brought back \"" + reply + "\"");
  _exit(0);
}

void answer(const request& req) {
  narrate("server read a request from pid " + std::to_string(req.pid) + ": \"" + req.text + "\"");
  char reply[sizeof req.text] = {};
  for (size_t i = 0; i + 1 < sizeof reply && req.text[i] != '\0'; ++i)
    reply[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(req.text[i])));
  //! [reply]
  int fd = open(client_path(req.pid).c_str(), O_WRONLY | O_NONBLOCK);
  if (fd < 0) {  // ENXIO or ENOENT: that client is gone; serve the others
    warn_errno("open(" + client_path(req.pid) + ")");
    return;
  }
  if (write(fd, reply, sizeof reply) < 0) warn_errno("write(reply)");
  close(fd);
  //! [reply]
}

}  // namespace

int main() {
  signal(SIGPIPE, SIG_IGN);  // a vanished client is an EPIPE, not the server's death
  char tmpl[] = "/tmp/ipclab-fifos-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) die_errno("mkdtemp()");
  dir = tmpl;

  //! [server-open]
  // A descriptor of the directory, then a name relative to it: the FIFO
  // lands in this directory even if its path changes meanwhile.
  int dir_fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (dir_fd < 0) die_errno("open(" + dir + ")");
  if (mkfifoat(dir_fd, "server.fifo", 0600) < 0) die_errno("mkfifoat(dir_fd, \"server.fifo\")");
  //! [server-open]
  struct stat st{};
  if (fstatat(dir_fd, "server.fifo", &st, 0) < 0) die_errno("fstatat(server.fifo)");
  narrate(std::string("server made the well-known FIFO ") + server_path() + " with mkfifoat(): " +
          (S_ISFIFO(st.st_mode) ? "a FIFO (S_ISFIFO), mode " : "not a FIFO?, mode ") +
          std::to_string((st.st_mode >> 6) & 7) + std::to_string((st.st_mode >> 3) & 7) + std::to_string(st.st_mode & 7));
  show_enxio();
  //! [server-ends]
  int in = open(server_path().c_str(), O_RDONLY | O_NONBLOCK);  // would block without a writer
  if (in < 0) die_errno("open(server, O_RDONLY)");
  int keep = open(server_path().c_str(), O_WRONLY);  // ours: read() never sees EOF
  if (keep < 0) die_errno("open(server, O_WRONLY)");
  clear_nonblock(in);
  //! [server-ends]
  trace_fds("the server opened both ends of its FIFO");

  std::vector<pid_t> clients;
  for (const char* text : {"hello from one", "and from two", "three says bye"}) {
    pid_t pid = fork();
    if (pid < 0) die_errno("fork()");
    if (pid == 0) {
      close(in);
      close(keep);
      close(dir_fd);
      client(text);
    }
    clients.push_back(pid);
  }

  //! [server-loop]
  for (size_t served = 0; served < clients.size(); ++served) {
    request req{};
    ssize_t n = read(in, &req, sizeof req);  // one whole request per read
    if (n < 0) die_errno("read(server)");
    if (n != static_cast<ssize_t>(sizeof req)) die("a short request: it was not written in one piece");
    answer(req);
  }
  //! [server-loop]

  for (pid_t pid : clients) reap_child(pid);
  close(in);
  close(keep);
  if (unlinkat(dir_fd, "server.fifo", 0) < 0) die_errno("unlinkat(server.fifo)");
  close(dir_fd);
  if (rmdir(dir.c_str()) < 0) die_errno("rmdir()");
  narrate("done: every FIFO removed, every client waited for");
  return 0;
}
