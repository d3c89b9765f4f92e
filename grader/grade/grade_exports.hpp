// `ipclab grade --roster FILE --format canvas,moodle`: the class's scores
// in the shapes gradebooks import, students named by the roster.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "kit.hpp"

namespace ipclab::cli {

/// One student of the roster: "id,name,submission" (the submission's id
/// or file name as handed in).
struct roster_entry {
  std::string id;
  std::string name;
  std::string submission;
};

/// Reads a roster CSV with the header "id,name,submission". Throws
/// usage_error when the header is not that.
std::vector<roster_entry> load_roster(const fs::path& csv);

/// Canvas's gradebook import: "Student,ID,SIS User ID,SIS Login ID,Section,<assignment>",
/// a "Points Possible" row, then one row per student (of the roster, or
/// per submission without one; a student with no submission scores 0).
std::string canvas_csv(const std::vector<nlohmann::json>& results, const std::vector<roster_entry>& roster,
                       const std::string& assignment);

/// Moodle's grade import: "ID number,Full name,<assignment>", one row per
/// student as for canvas_csv().
std::string moodle_csv(const std::vector<nlohmann::json>& results, const std::vector<roster_entry>& roster,
                       const std::string& assignment);

/// A field of a CSV line, quoted when it must be.
std::string csv_field(const std::string& s);

}  // namespace ipclab::cli
