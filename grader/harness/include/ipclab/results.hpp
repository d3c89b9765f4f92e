/// @file results.hpp
/// @brief A chapter run's report, from the parts that make it.
///
/// The test runner's `ipclab-part` reporter writes a *part*: the report of
/// the tests it ran, plus what the final report needs from every test of
/// the run (which student functions answered as the stub does). A run in
/// shards, each a test runner given some of the chapter's tests, merges
/// its parts with merge(); conclude() turns a part into the Gradescope-
/// shaped report (the `ipclab` reporter is `ipclab-part` then conclude()),
/// so a run in shards and a run in one piece report alike.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

namespace ipclab::results {

/// One part of a run (its tests in the order they ran). Beside the
/// report's own fields, a part holds "tests_total" (the chapter's number of
/// tests), "functions" ({name: {"enosys": bool, "other": bool}}: whether
/// any call of that student function failed with ENOSYS, or ended any
/// other way) and, per test, "enosys" (the functions a failed test saw
/// fail with ENOSYS) and "other_failures" (its failures not about ENOSYS).
using part = nlohmann::json;

/// Merges the parts of one chapter's run, each from a subset of its tests,
/// into one part: tests in the chapter's order (by "number"), scores
/// summed, a function written when any part saw it end otherwise than
/// with ENOSYS; execution_time is the longest part's.
part merge(const std::vector<part>& parts);

/// The report of a run from its whole part: functions that failed with
/// ENOSYS every time they were called are named once ("2 of 3 functions are
/// not written yet: ..."), and the failed tests that met them shown as not
/// attempted; "partial" when the run left tests out; the part's own fields
/// removed.
nlohmann::json conclude(part whole);

}  // namespace ipclab::results
