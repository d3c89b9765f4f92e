// `ipclab list [--json]`: the chapters and where you are in each.
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "progress.hpp"
#include "render.hpp"

namespace ipclab::cli {
namespace {

nlohmann::json as_json(const kit& k, const progress& p) {
  auto out = nlohmann::json::array();
  for (const auto& c : k.chapters) {
    auto entry = p.of(c);
    nlohmann::json j{{"number", c.number},   {"slug", c.slug},   {"folder", c.folder},
                     {"title", c.title},     {"apue", c.apue},   {"summary", c.summary},
                     {"status", status_text(entry)}, {"hints_shown", entry.hints_shown},
                     {"hints", c.hints.size()}};
    if (entry.checked)
      j["last_check"] = {{"score", entry.score}, {"max_score", entry.max_score},
                         {"time", entry.checked_at}};
    out.push_back(j);
  }
  return out;
}

int run_list(bool json) {
  kit k = kit::load();
  progress p = load_progress(k);
  if (json) {
    std::cout << as_json(k, p).dump(2) << std::endl;
  } else {
    print_chapters(k, p);
  }
  return 0;
}

}  // namespace

void add_list(CLI::App& app, commands& cmds) {
  auto json = std::make_shared<bool>(false);
  auto* sub = app.add_subcommand("list", "the chapters, with your status in each");
  sub->add_flag("--json", *json, "print them as a JSON array");
  sub->callback([&cmds, json] { cmds.selected = [json] { return run_list(*json); }; });
}

}  // namespace ipclab::cli
