// Hints that fit the failure: which hint of chapter.toml fits which test,
// and the failing tests of the last check, remembered for `ipclab hint`.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "check.hpp"
#include "kit.hpp"

namespace ipclab::cli {

/// One hint of chapter.toml. A hint may open with the tags of the tests it
/// fits: "[eof][fds] A reader sees end-of-file only when...". A hint
/// without tags fits no test in particular (it comes in list order).
struct hint {
  std::string text;               ///< the hint without its leading tags
  std::vector<std::string> tags;  ///< "eof", "fds": the tests it fits
};

/// The hint written as @p raw in chapter.toml.
hint parse_hint(const std::string& raw);

/// A failed test of the last check: its name and tags, as the report gave them.
struct failed_test {
  std::string name;
  std::vector<std::string> tags;
};

/// True when @p h fits @p t: they share a tag.
bool fits(const hint& h, const failed_test& t);

/// The index of the first hint of @p c that fits @p t, if any.
std::optional<std::size_t> first_fitting_hint(const chapter& c, const failed_test& t);

/// Remembers which tests of @p c failed in @p r (state folder,
/// last-check-NN-slug.json), for `ipclab hint`; a full score forgets them.
void remember_failures(const kit& k, const chapter& c, const chapter_report& r);

/// The failed tests of the last remembered check of @p c, in report order
/// (empty when none is remembered).
std::vector<failed_test> remembered_failures(const kit& k, const chapter& c);

/// The hints (indices) `ipclab hint` gave since the last remembered check.
std::vector<std::size_t> hints_given(const kit& k, const chapter& c);

/// Adds @p index to hints_given(); nothing when no check is remembered.
void remember_hint_given(const kit& k, const chapter& c, std::size_t index);

/// Empties hints_given() (`ipclab hint --reset`), keeping the failures.
void forget_hints_given(const kit& k, const chapter& c);

/// A failed test of a report's "tests" array, as failed_test.
failed_test as_failed_test(const nlohmann::json& test);

}  // namespace ipclab::cli
