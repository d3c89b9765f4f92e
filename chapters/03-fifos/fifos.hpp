/// @file fifos.hpp
/// @brief Chapter 03 exercise contract: a well-known-FIFO server and its client.
///
/// Implement these in `exercises/03-fifos/fifos.cpp`. Every function follows
/// the POSIX convention: on failure it returns -1 and sets errno. See APUE 3e
/// section 15.5 (FIFOs).
///
/// The protocol. A server owns a *well-known* FIFO at a path every client
/// knows. A client with process id P:
/// 1. creates its own FIFO, named `<server path>.<P>` (e.g. `/tmp/up.fifo.1234`),
///    and opens it for reading;
/// 2. writes one lab_fifo_request (its pid and its text) to the well-known
///    FIFO with a single write() — a record of at most PIPE_BUF bytes is
///    never interleaved with other clients' records;
/// 3. reads one lab_fifo_reply from its own FIFO, then closes and removes it.
///
/// The server reads whole requests from the well-known FIFO and answers each
/// one with the request's text in upper case (ASCII letters only), written as
/// one lab_fifo_reply to the client's FIFO.
/// @see The notes: @ref ch03_fifos
#pragma once

#include <limits.h>
#include <stddef.h>
#include <sys/types.h>

extern "C" {

/// Longest path (with its terminating null byte) of a well-known FIFO.
enum { LAB_FIFO_PATH_MAX = 96 };
/// Size of the text field of a request and of a reply (with its null byte).
enum { LAB_FIFO_TEXT = 124 };

/// One request, as written to the well-known FIFO.
struct lab_fifo_request {
  pid_t pid;                  ///< the client's pid: its FIFO is `<server path>.<pid>`
  char text[LAB_FIFO_TEXT];   ///< null-terminated
};

/// One reply, as written to the client's FIFO.
struct lab_fifo_reply {
  char text[LAB_FIFO_TEXT];   ///< the request's text in upper case, null-terminated
};

/// A server's open well-known FIFO.
struct lab_fifo_server {
  int read_fd;                    ///< where requests are read; -1 when closed
  int write_fd;                   ///< the server's own write end; -1 when closed
  char path[LAB_FIFO_PATH_MAX];   ///< the well-known FIFO's path
};

/// Opens @p path for writing without waiting for a reader.
///
/// @param path  the FIFO to open
/// @return a descriptor open for writing, in blocking mode (O_NONBLOCK is
///         cleared once the open succeeded, so a later write waits for room
///         instead of failing with EAGAIN), or -1 with errno.
/// @par Errors
/// - EINVAL: @p path is null, or names something that is not a FIFO (then
///   nothing stays open).
/// - ENXIO: the FIFO exists but no process has it open for reading.
/// - ENOENT, ENOTDIR, EACCES, EISDIR, ...: as open() sets them.
/// @see \man{open,2} (O_NONBLOCK on a FIFO), \man{fstat,2}, \man{fcntl,2}, \man{fifo,7}
int lab_fifo_open_writer(const char* path);

/// Creates the well-known FIFO at @p path (mode 0600) and opens it.
///
/// Fills @p srv with a read end (in blocking mode, so lab_fifo_server_run()
/// waits for requests; O_RDONLY, or O_RDWR, which Linux allows on a FIFO
/// but POSIX leaves undefined) and with the server's own write end
/// (O_WRONLY, opened on the FIFO itself). Holding a write
/// end itself means read() never returns end-of-file when the last client
/// closes: the next client's request is simply awaited. Opening must not
/// block, although no client exists yet.
/// @param[out] srv  filled in on success
/// @param path      where to create the well-known FIFO
/// @return 0, or -1 with errno (and then nothing is left open or created).
/// @par Errors
/// - EINVAL: @p srv or @p path is null.
/// - ENAMETOOLONG: @p path has LAB_FIFO_PATH_MAX bytes or more.
/// - EEXIST (something is already there), ENOENT, ENOTDIR, EACCES, ...: as
///   mkfifo() sets them.
/// - as open() sets it.
/// @see \man{mkfifo,3}, \man{open,2}, \man{fcntl,2}, \man{unlink,2}
int lab_fifo_server_open(struct lab_fifo_server* srv, const char* path);

/// Reads @p max_requests requests and answers each one.
///
/// For each request: open the client's FIFO `<srv->path>.<pid>` for writing
/// without blocking; if that fails (ENXIO: the client is gone; ENOENT: its
/// FIFO was removed) skip the request; else write the reply with one write()
/// and close. A client that vanishes must never block or kill the server:
/// SIGPIPE must not end the process, and the caller's SIGPIPE disposition
/// is as it was when this returns.
/// @param srv           from lab_fifo_server_open()
/// @param max_requests  how many requests to read, at least 1
/// @return the number of replies written in full, or -1 with errno.
/// @par Errors
/// - EINVAL: @p srv is null or closed, or @p max_requests < 1.
/// - as read() sets it; EINTR is retried, never returned.
/// @see \man{read,2}, \man{open,2}, \man{write,2}, \man{sigaction,2}, \man{pipe,7} (PIPE_BUF)
long lab_fifo_server_run(struct lab_fifo_server* srv, long max_requests);

/// Closes both ends of the well-known FIFO and removes it. Afterwards both
/// descriptors in @p srv are -1.
/// @param srv  from lab_fifo_server_open()
/// @return 0, or -1 with errno.
/// @par Errors
/// - EINVAL: @p srv is null or closed.
/// - as unlink() sets it (the descriptors are closed anyway).
/// @see \man{close,2}, \man{unlink,2}
int lab_fifo_server_close(struct lab_fifo_server* srv);

/// The client's call: sends @p text to the server at @p server_path and
/// waits for the reply, following the protocol above.
///
/// Opens its own FIFO for reading *before* sending the request (the server
/// opens it without blocking, so a client not yet reading would look gone),
/// and keeps a write end of it open too while it waits, so that read() waits
/// for the reply instead of returning end-of-file.
/// On every return after it created its own FIFO, that FIFO is closed and
/// removed. When the name is already taken (mkfifo() fails with EEXIST),
/// what is there is not the client's: it is left in place.
///
/// @param server_path  the well-known FIFO
/// @param text         the request, shorter than LAB_FIFO_TEXT bytes
/// @param[out] reply   receives the reply's text, null-terminated
/// @param size         the size of @p reply
/// @return the length of the reply's text, or -1 with errno.
/// @par Errors
/// - EINVAL: an argument is null or @p size is 0, or @p server_path is not
///   a FIFO but open() for writing accepts it (a regular file).
/// - EISDIR: @p server_path is a directory (open() for writing refuses it
///   first, as lab_fifo_open_writer() reports).
/// - EMSGSIZE: @p text is LAB_FIFO_TEXT bytes or longer, or the reply does
///   not fit in @p size.
/// - ENAMETOOLONG: @p server_path has LAB_FIFO_PATH_MAX bytes or more.
/// - ENOENT: there is no FIFO at @p server_path.
/// - ENXIO: the FIFO exists but no server has it open.
/// - EPIPE: the server went away while the request was written (SIGPIPE
///   must not end the process), or its reply came cut short.
/// - as mkfifo(), open(), read() or write() set it (EEXIST when its own
///   FIFO's name is taken).
/// @see \man{mkfifo,3}, \man{open,2}, \man{write,2}, \man{read,2}, \man{unlink,2}
ssize_t lab_fifo_ask(const char* server_path, const char* text, char* reply, size_t size);

}  // extern "C"

static_assert(sizeof(lab_fifo_request) <= PIPE_BUF, "a request must be written atomically");
static_assert(sizeof(lab_fifo_reply) <= PIPE_BUF, "a reply must be written atomically");
