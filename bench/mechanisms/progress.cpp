// The progress line on stderr (a terminal only; silent in pipes and tests).
#include "progress.hpp"

#include <unistd.h>

#include <fmt/format.h>

namespace ipclab::bench {

progress::progress(int steps) : steps_(steps), shown_(::isatty(STDERR_FILENO) == 1) {}

progress::~progress() {
  if (shown_) fmt::print(stderr, "\r\033[K");
}

void progress::step(const std::string& what) {
  ++done_;
  if (shown_) fmt::print(stderr, "\r\033[K[{:2}/{}] {}", done_, steps_, what);
}

}  // namespace ipclab::bench
