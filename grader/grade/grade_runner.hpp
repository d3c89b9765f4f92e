// `ipclab grade`: grading submissions in parallel, with a progress line.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

namespace ipclab::cli {

/// What one finished job tells the progress line.
struct job_outcome {
  std::string name;     ///< the submission
  std::string summary;  ///< e.g. "57/60" or "unchanged, 57/60"
  bool skipped = false; ///< nothing was graded (does not count in the ETA)
};

/// Runs @p job(0..count-1) on @p jobs threads. After each job, stderr gets
/// a progress line with the ETA (rewritten in place on a terminal, one line
/// per job otherwise). A job must not throw.
void run_parallel(std::size_t count, unsigned jobs,
                  const std::function<job_outcome(std::size_t)>& job);

}  // namespace ipclab::cli
