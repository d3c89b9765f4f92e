// Printing reports for people: colour only on a terminal.
#pragma once

#include <string>

#include "check.hpp"

namespace ipclab::cli {

/// True when stdout is a terminal and NO_COLOR is not set.
bool use_colour();

/// A chapter's report as a student reads it: each test with its verdict,
/// the teaching message of each failure, and the score.
void print_report(const chapter& c, const chapter_report& r);

}  // namespace ipclab::cli
