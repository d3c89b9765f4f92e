// `ipclab grade --hidden DIR`: an instructor's tests kept out of the kit.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "kit.hpp"

namespace ipclab::cli {

/// Compiles, for each chapter of @p chapters that has a folder
/// @p dir/<chapter folder>/ holding .cpp files, those files (Catch2 tests
/// written like the chapter's test_<slug>.cpp, against its contract
/// header) into a test binary linked with the kit's harness. Binaries are
/// cached under <build>/hidden-tests/ by content.
/// @return chapter folder → test binary (chapters without hidden tests are absent)
/// Throws usage_error when @p dir is not a folder or holds no chapter's
/// tests, std::runtime_error with the compiler's messages when they do not
/// compile.
std::map<std::string, fs::path> build_hidden_tests(const kit& k,
                                                   const std::vector<const chapter*>& chapters,
                                                   const fs::path& dir);

/// Adds the hidden tests' report @p hidden to a chapter's report @p report:
/// their tests (named "[hidden] ...", numbered "h1", "h2"..., visibility
/// "after_due_date") and their points.
void add_hidden_results(nlohmann::json& report, const nlohmann::json& hidden);

}  // namespace ipclab::cli
