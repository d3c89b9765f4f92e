/// @file expect.hpp
/// @brief Assertions on sandbox results whose failure messages teach.
///
/// Use inside a Catch2 TEST_CASE, in the parent, after sandbox::call().
/// Each one fails the test with a message naming the likely mistake.
#pragma once

#include <string>
#include <vector>

#include "ipclab/sandbox.hpp"

namespace ipclab::expect {

/// A waitpid() status in words: "exited with 7", "killed by SIGPIPE
/// (Broken pipe)", "stopped by SIGSTOP"; a negative value reads "-1 (not a
/// status)".
std::string wait_status(long status);

/// The call returned normally (no crash, hang, exit or missing function).
void returned(const sandbox::result& r);

/// The call returned @p value (and, when @p value is -1, see failed()).
void returned_value(const sandbox::result& r, long value, const std::string& what);

/// The call returned -1 with errno @p err (named in the message).
void failed_with(const sandbox::result& r, int err, const std::string& what);

/// No descriptor left open in the caller (beyond what it had before).
void no_fds_left(const sandbox::result& r);

/// No child process, running or zombie, left behind.
void no_children_left(const sandbox::result& r);

/// No XSI IPC object, and nothing in /tmp or /dev/shm, left behind.
void no_objects_left(const sandbox::result& r);

/// All three of the above.
void clean(const sandbox::result& r);

/// One value the call reported equals @p want; else fails with @p why.
void equal(const std::string& got, const std::string& want, const std::string& why);

/// The call returned and sent exactly the messages @p want, in order;
/// @p why[i] explains what message i checks when it differs. A call that
/// stopped early fails with its story and the messages it did send.
void messages(const sandbox::result& r, const std::vector<std::string>& want,
              const std::vector<std::string>& why);

}  // namespace ipclab::expect
