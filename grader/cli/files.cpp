// Whole-file reads, FNV-1a fingerprints and atomic writes.
#include "files.hpp"

#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

namespace ipclab::cli {

std::vector<std::filesystem::path> files_ending(const std::filesystem::path& folder,
                                                std::string_view extension) {
  std::vector<std::filesystem::path> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(folder, ec))
    if (e.path().extension() == extension) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::uint64_t fnv1a(std::string_view bytes, std::uint64_t h) {
  for (unsigned char c : bytes) h = (h ^ c) * 1099511628211ull;
  return h;
}

void write_atomically(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::path temp = path;
  temp += fmt::format(".{}.{}.part", ::getpid(), ::gettid());
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) throw std::runtime_error(fmt::format("cannot write {}", temp.string()));
  }
  std::filesystem::rename(temp, path);
}

}  // namespace ipclab::cli
