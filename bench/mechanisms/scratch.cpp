// The benchmark's work folder and the names of its POSIX IPC objects.
#include "scratch.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <vector>

#include "ipclab/check.hpp"

namespace ipclab::bench {
namespace {

std::string current;

}  // namespace

scratch_dir::scratch_dir() {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/ipclab-bench.XXXXXX";
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  if (::mkdtemp(buf.data()) == nullptr) throw_errno(errno, "mkdtemp(" + pattern + ")");
  current = buf.data();
}

scratch_dir::~scratch_dir() {
  std::error_code ignored;
  std::filesystem::remove_all(current, ignored);
  current.clear();
}

const std::string& scratch_path() {
  if (current.empty()) throw std::logic_error("no scratch_dir exists");
  return current;
}

std::string posix_ipc_name(const std::string& what) {
  return "/ipclab-bench." + std::to_string(::getpid()) + "." + what;
}

}  // namespace ipclab::bench
