// Printing reports for people: colour only on a terminal.
#pragma once

#include <string>

#include <fmt/color.h>

#include "check.hpp"
#include "progress.hpp"

namespace ipclab::cli {

/// True when stdout is a terminal and NO_COLOR is not set.
bool use_colour();

/// @p text in @p style when use_colour(), plain otherwise.
std::string paint(const std::string& text, fmt::text_style style);

/// A chapter's report as a student reads it: each test with its verdict,
/// the teaching message of each failure, and the score.
void print_report(const chapter& c, const chapter_report& r);

/// One line per chapter: number, slug, title, APUE section, status.
void print_chapters(const kit& k, const progress& p);

}  // namespace ipclab::cli
