// Per-test time limits: the grader may scale the wall-clock limit of every
// call a named test makes (`--time-scale NAME=FACTOR`, from a course's
// grading config), so a course can give a slow test more time.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace ipclab::sandbox::time_scale {

/// Records each "NAME=FACTOR" of @p specs (the test's exact name; the last
/// '=' separates the factor, a number above 0). Returns "" when all are
/// valid, else what is wrong with the first one that is not.
std::string set(const std::vector<std::string>& specs);

/// @p wall scaled by the factor set for the test now running (unchanged
/// when none is set for it).
std::chrono::milliseconds scaled(std::chrono::milliseconds wall);

}  // namespace ipclab::sandbox::time_scale
