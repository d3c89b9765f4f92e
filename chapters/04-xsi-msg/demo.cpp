// demo-xsi-msg: one server and three clients over a single XSI message queue.
//
// The parent makes a queue, then forks a server and three clients. Each
// client sends a request of type 1 carrying its pid, and waits for the
// message whose type is its own pid: one queue carries every request and
// every reply. The server reads with a negative type, so requests (type 1)
// always pass before the stop order (type 2). `ipcs -q` shows the queue
// appear and go; the queue outlives any process that used it until
// msgctl(IPC_RMID) removes it.
//
// Run it:  ./ipclab demo xsi-msg        (add --trace to see the queues at each step)
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "ipclab/die.hpp"
#include "ipclab/reap.hpp"
#include "ipclab/trace.hpp"

using namespace ipclab;

namespace {

constexpr long kRequest = 1;  // client -> server
constexpr long kStop = 2;     // parent -> server, after every request

// What msgsnd/msgrcv move: a long type, then the payload they count.
struct request_msg {
  long mtype;
  pid_t client;
  char text[64];
};
struct reply_msg {
  long mtype;
  char text[96];
};

int queue_id = -1;  // removed at exit too, so an error path leaves no queue

void remove_queue() {
  if (queue_id >= 0 && msgctl(queue_id, IPC_RMID, nullptr) < 0) warn_errno("msgctl(IPC_RMID)");
  queue_id = -1;
}

std::string octal(unsigned mode) {
  char text[8];
  std::snprintf(text, sizeof text, "0%03o", mode & 0777);
  return text;
}

void show_ipcs(const char* when) {
  narrate(std::string("`ipcs -q` ") + when + ":");
  pid_t pid = fork();
  if (pid < 0) die_errno("fork()");
  if (pid == 0) {
    execlp("ipcs", "ipcs", "-q", static_cast<char*>(nullptr));
    child_die_errno("execlp(ipcs)");
  }
  reap_child(pid);
}

[[noreturn]] void serve(int id) {
  //! [server]
  request_msg req{};
  for (;;) {
    // -kStop: the lowest type <= 2 first, so every queued request (1)
    // is answered before the stop order (2).
    ssize_t n = msgrcv(id, &req, sizeof req - sizeof req.mtype, -kStop, 0);
    if (n < 0) child_die_errno("msgrcv(server)");
    if (req.mtype == kStop) break;
    reply_msg rep{};
    rep.mtype = req.client;  // the reply is addressed by the client's pid
    std::snprintf(rep.text, sizeof rep.text, "server %d got \"%s\" from %d", static_cast<int>(getpid()),
                  req.text, static_cast<int>(req.client));
    if (msgsnd(id, &rep, std::strlen(rep.text) + 1, 0) < 0) child_die_errno("msgsnd(reply)");
  }
  //! [server]
  narrate("server: stop order received, leaving");
  _exit(0);
}

[[noreturn]] void client(int id, const char* text) {
  //! [client]
  request_msg req{};
  req.mtype = kRequest;
  req.client = getpid();
  std::snprintf(req.text, sizeof req.text, "%s", text);
  // The size counts what follows mtype: the pid and the text with its NUL.
  size_t size = offsetof(request_msg, text) - sizeof(long) + std::strlen(req.text) + 1;
  if (msgsnd(id, &req, size, 0) < 0) child_die_errno("msgsnd(request)");
  reply_msg rep{};
  // Only the message typed with our own pid is ours.
  if (msgrcv(id, &rep, sizeof rep.text, getpid(), 0) < 0) child_die_errno("msgrcv(reply)");
  //! [client]
  narrate(std::string("client: ") + rep.text);
  _exit(0);
}

}  // namespace

int main() {
  show_ipcs("before");
  //! [create]
  // IPC_PRIVATE: a fresh queue nobody else can find; our children inherit
  // its identifier. Unrelated processes would agree on ftok(path, id).
  queue_id = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
  if (queue_id < 0) die_errno("msgget(IPC_PRIVATE)");
  std::atexit(remove_queue);
  msqid_ds ds{};
  if (msgctl(queue_id, IPC_STAT, &ds) < 0) die_errno("msgctl(IPC_STAT)");
  //! [create]
  narrate("queue " + std::to_string(queue_id) + " created: msg_perm says owner uid " +
          std::to_string(ds.msg_perm.uid) + ", mode " + octal(ds.msg_perm.mode) + "; at most " +
          std::to_string(ds.msg_qbytes) + " bytes queued");
  show_ipcs("with the queue");
  //! [ipc-set]
  // IPC_SET copies msg_perm.uid, gid, mode and msg_qbytes from ds into the
  // queue. Only the owner, the creator or a privileged process may; raising
  // msg_qbytes above the system's limit also takes privilege, lowering not.
  ds.msg_perm.mode = 0640;  // the owner's group may now read (msgrcv)
  ds.msg_qbytes = 4096;
  if (msgctl(queue_id, IPC_SET, &ds) < 0) die_errno("msgctl(IPC_SET)");
  if (msgctl(queue_id, IPC_STAT, &ds) < 0) die_errno("msgctl(IPC_STAT)");
  //! [ipc-set]
  narrate("after msgctl(IPC_SET): mode " + octal(ds.msg_perm.mode) + ", at most " +
          std::to_string(ds.msg_qbytes) + " bytes queued (see perms in `ipcs -q`)");
  show_ipcs("after IPC_SET");
  trace_ipc("msgget() and IPC_SET");

  pid_t server = fork();
  if (server < 0) die_errno("fork(server)");
  if (server == 0) serve(queue_id);
  const char* texts[] = {"hello", "what time is it?", "bye"};
  pid_t clients[3];
  for (int i = 0; i < 3; ++i) {
    clients[i] = fork();
    if (clients[i] < 0) die_errno("fork(client)");
    if (clients[i] == 0) client(queue_id, texts[i]);
  }
  for (pid_t c : clients) reap_child(c);

  long stop = kStop;  // a message may carry no payload at all
  if (msgsnd(queue_id, &stop, 0, 0) < 0) die_errno("msgsnd(stop)");
  reap_child(server);
  trace_ipc("the server left");

  if (msgctl(queue_id, IPC_STAT, &ds) < 0) die_errno("msgctl(IPC_STAT)");
  narrate(std::to_string(ds.msg_qnum) + " messages left; last sent by " + std::to_string(ds.msg_lspid) +
          " (the stop order), last taken by " + std::to_string(ds.msg_lrpid) + " (the server)");
  reply_msg none{};
  if (msgrcv(queue_id, &none, sizeof none.text, 0, IPC_NOWAIT) >= 0 || errno != ENOMSG)
    die_errno("msgrcv(IPC_NOWAIT) on an empty queue should fail with ENOMSG");
  narrate("msgrcv(IPC_NOWAIT) on the empty queue: ENOMSG, at once");

  narrate("server and clients have ended; the queue would outlive us too, until IPC_RMID:");
  show_ipcs("after the processes ended");
  //! [remove]
  remove_queue();
  //! [remove]
  show_ipcs("after msgctl(IPC_RMID)");
  narrate("done: the queue is removed, every child waited for");
  return 0;
}
