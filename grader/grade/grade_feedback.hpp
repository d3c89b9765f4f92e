// `ipclab grade`: feedback.md, a submission's results for a person to read.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace ipclab::cli {

/// A Markdown page from a submission's results.json: the score (and a
/// late penalty), then per chapter its score, why it was not graded if
/// so, the tests failed with what they saw, the tests passed, and the
/// chapter's first hint (from chapter.toml, @p hints: folder → hints) when
/// a test failed; last, the files left out of grading. Tests whose
/// visibility is not "visible" are counted, never shown.
std::string feedback_md(const nlohmann::json& results,
                        const std::map<std::string, std::vector<std::string>>& hints);

}  // namespace ipclab::cli
