// Which student functions still answer as the stub does (ENOSYS), test by test.
#pragma once

#include <map>
#include <set>
#include <string>

namespace ipclab::sandbox::unwritten {

/// Records one note from a call: "name 1" (returned with ENOSYS) or "name 0".
void note(const std::string& payload);

/// The functions that returned with ENOSYS since the last call of this
/// (the current test case's), and forgets them.
std::set<std::string> take_test();

/// How the calls of one student function ended so far in the run.
struct outcomes {
  bool enosys = false;  ///< some call failed with ENOSYS, as the stub does
  bool other = false;   ///< some call ended otherwise
};

/// Every student function called so far in the run, by name.
const std::map<std::string, outcomes>& functions();

}  // namespace ipclab::sandbox::unwritten
