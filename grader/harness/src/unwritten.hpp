// Which student functions still answer as the stub does (ENOSYS), test by test.
#pragma once

#include <set>
#include <string>
#include <vector>

namespace ipclab::sandbox::unwritten {

/// Records one note from a call: "name 1" (returned with ENOSYS) or "name 0".
void note(const std::string& payload);

/// The functions that returned with ENOSYS since the last call of this
/// (the current test case's), and forgets them.
std::set<std::string> take_test();

/// Every student function called so far in the run.
std::vector<std::string> called();

/// The functions that returned with ENOSYS every time they were called:
/// still the stub.
std::vector<std::string> not_written();

}  // namespace ipclab::sandbox::unwritten
