/// @file progress.hpp
/// @brief "[ 7/40] pipe: latency 1 KiB" on stderr, only when stderr is a terminal.
#pragma once

#include <string>

namespace ipclab::bench {

class progress {
public:
  /// @p steps: how many step() calls the run will make.
  explicit progress(int steps);
  /// Clears the progress line.
  ~progress();
  /// Announces the next measurement.
  void step(const std::string& what);

private:
  int steps_, done_ = 0;
  bool shown_;
};

}  // namespace ipclab::bench
