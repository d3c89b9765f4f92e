// Small file helpers of the CLI: whole reads, fingerprints, listings, atomic writes.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace ipclab::cli {

/// The whole content of @p p ("" when it cannot be read).
std::string slurp(const std::filesystem::path& p);

/// A 64-bit FNV-1a hash, for fingerprints; chain calls through @p h.
std::uint64_t fnv1a(std::string_view bytes, std::uint64_t h = 1469598103934665603ull);

/// The files of @p folder (not below it) whose names end in @p extension
/// (".cpp"), sorted; none when the folder does not exist.
std::vector<std::filesystem::path> files_ending(const std::filesystem::path& folder,
                                                std::string_view extension);

/// Writes @p text to @p path through a temporary file in the same folder
/// renamed over it: readers see the old content or the new, never half.
/// Throws std::runtime_error when the temporary file cannot be written.
void write_atomically(const std::filesystem::path& path, const std::string& text);

}  // namespace ipclab::cli
