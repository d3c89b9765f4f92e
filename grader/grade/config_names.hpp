// `ipclab grade --config`: every chapter and test a grading config names
// must exist, so a typo is found before grading, not after it silently
// left a policy unapplied.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "grade_config.hpp"
#include "kit.hpp"

namespace ipclab::cli {

/// Of @p candidates, the one closest to @p name (fewest single-character
/// edits, case ignored); "" when there are none.
std::string closest_name(const std::string& name, const std::vector<std::string>& candidates);

/// Checks the chapters @p config (read from @p file) names: each of
/// `chapters` is one the kit knows (folder, slug or number); each key of
/// [points], [visibility] and [tests] a chapter folder. Throws usage_error
/// naming the first bad entry and the closest existing name.
void check_config_chapters(const grading_config& config, const fs::path& file, const kit& k);

/// Checks the tests @p config names: each under [tests."<folder>"] for a
/// chapter in @p graded is a test of that chapter, or "[hidden] <name>" of
/// its hidden tests in @p hidden. Throws usage_error naming the first bad
/// entry and the closest existing name.
void check_config_tests(const grading_config& config, const fs::path& file,
                        const std::vector<const chapter*>& graded,
                        const std::map<std::string, fs::path>& hidden);

}  // namespace ipclab::cli
