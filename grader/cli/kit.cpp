// Loading the build manifest and the chapters' chapter.toml files.
#include "kit.hpp"

#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <toml++/toml.h>

namespace ipclab::cli {
namespace {

fs::path manifest_path() {
  if (const char* p = std::getenv("IPCLAB_BUILD_MANIFEST")) return p;
  return IPCLAB_MANIFEST;
}

std::vector<std::string> strings(const toml::table& t, const char* key) {
  std::vector<std::string> out;
  if (const auto* arr = t[key].as_array())
    for (const auto& v : *arr)
      if (auto s = v.value<std::string>()) out.push_back(*s);
  return out;
}

chapter read_chapter(const fs::path& dir, const nlohmann::json& built) {
  chapter c;
  c.folder = dir.filename().string();
  c.slug = c.folder.substr(3);
  c.number = std::stoi(c.folder.substr(0, 2));
  c.dir = dir;
  c.test_binary = built.at("test").get<std::string>();
  c.demo_binary = built.at("demo").get<std::string>();
  toml::table t;
  try {
    t = toml::parse_file((dir / "chapter.toml").string());
  } catch (const toml::parse_error& e) {
    throw std::runtime_error(fmt::format("{}/chapter.toml: {}", c.folder, e.description()));
  }
  c.title = t["title"].value_or(c.slug);
  c.summary = t["summary"].value_or(std::string());
  c.apue = t["apue"].value_or(std::string());
  c.files = strings(t, "files");
  c.hints = strings(t, "hints");
  return c;
}

}  // namespace

fs::path kit::modules_dir() const {
  auto env = [](const char* name) -> const char* {
    const char* v = std::getenv(name);
    return v != nullptr && *v != '\0' ? v : nullptr;
  };
  if (const char* dir = env("IPCLAB_CACHE_DIR")) return fs::path(dir) / "modules";
  if (::access(binary_dir.c_str(), W_OK) == 0) return binary_dir / "modules";
  if (const char* xdg = env("XDG_CACHE_HOME")) return fs::path(xdg) / "ipclab" / "modules";
  if (const char* home = env("HOME")) return fs::path(home) / ".cache" / "ipclab" / "modules";
  throw usage_error(fmt::format("{} is not writable and neither IPCLAB_CACHE_DIR nor HOME is set: "
                                "set IPCLAB_CACHE_DIR to a folder where compiled fill-ins may go",
                                binary_dir.string()));
}

kit kit::load() {
  std::ifstream in(manifest_path());
  if (!in)
    throw std::runtime_error(fmt::format(
        "no build found at {}: run ./ipclab (it builds the kit) from the kit's folder",
        manifest_path().string()));
  auto m = nlohmann::json::parse(in);
  kit k;
  k.source_dir = m.at("source_dir").get<std::string>();
  k.source_dir = fs::weakly_canonical(k.source_dir);
  k.binary_dir = m.at("binary_dir").get<std::string>();
  k.cxx = m.at("cxx");
  k.cxx_flags = m.at("cxx_flags");
  k.support_include = m.at("support_include").get<std::string>();
  k.support_lib = m.at("support_lib").get<std::string>();
  k.pristine_dir = m.at("pristine_dir").get<std::string>();
  k.harness_include = m.value("harness_include", "");
  k.harness_lib = m.value("harness_lib", "");
  for (const auto& [folder, built] : m.at("chapters").items())
    k.chapters.push_back(read_chapter(k.source_dir / "chapters" / folder, built));
  std::sort(k.chapters.begin(), k.chapters.end(),
            [](auto& a, auto& b) { return a.number < b.number; });
  return k;
}

const chapter& kit::find(const std::string& name) const {
  for (const auto& c : chapters) {
    bool numeric = !name.empty() && name.find_first_not_of("0123456789") == std::string::npos;
    if (c.slug == name || c.folder == name || (numeric && std::stoi(name) == c.number)) return c;
  }
  std::string known;
  for (const auto& c : chapters) known += fmt::format("\n  {:>2}  {:<12} {}", c.number, c.slug, c.title);
  throw usage_error(fmt::format("no chapter is called '{}'. The chapters are:{}", name, known));
}

std::vector<const chapter*> kit::select(const std::string& name) const {
  std::vector<const chapter*> out;
  if (name == "all")
    for (const auto& c : chapters) out.push_back(&c);
  else
    out.push_back(&find(name));
  return out;
}

}  // namespace ipclab::cli
