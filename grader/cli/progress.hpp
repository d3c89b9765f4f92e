// A student's progress: last check and hints seen, per chapter, in
// <kit>/.ipclab/state.json (or $IPCLAB_STATE_DIR/state.json).
#pragma once

#include <functional>
#include <map>
#include <string>

#include "check.hpp"
#include "kit.hpp"

namespace ipclab::cli {

/// What is remembered about one chapter.
struct chapter_progress {
  bool checked = false;     ///< a check of exercises/ was recorded
  int score = 0;
  int max_score = 0;
  std::string checked_at;   ///< local time of the last check, "2024-05-01 14:03"
  int hints_shown = 0;      ///< how many hints `ipclab hint` revealed

  bool done() const { return checked && max_score > 0 && score == max_score; }
};

/// Every chapter's progress, keyed by folder ("01-pipes").
struct progress {
  std::map<std::string, chapter_progress> chapters;

  /// The chapter's entry (a fresh one when nothing is recorded yet).
  chapter_progress of(const chapter& c) const;
};

/// The folder holding state.json and reset's backups.
fs::path state_dir(const kit& k);

/// Reads the state; a missing or unreadable file is an empty progress.
progress load_progress(const kit& k);

/// Reads the state, lets @p change edit it, writes it back atomically
/// (a temporary file renamed over state.json).
void update_progress(const kit& k, const std::function<void(progress&)>& change);

/// Remembers a check of the default exercises/ tree.
void record_check(const kit& k, const chapter& c, const chapter_report& r);

/// "not started", "score 3/10" or "done", for lists.
std::string status_text(const chapter_progress& p);

}  // namespace ipclab::cli
