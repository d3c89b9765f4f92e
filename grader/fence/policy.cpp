// The fence's policy as arguments of `ipclab-fence`, and its coherence rule.
#include "fence/policy.hpp"

#include <algorithm>
#include <iterator>
#include <stdexcept>
#include <utility>

namespace ipclab::fence {
namespace {

constexpr std::pair<const char*, int> kLimitNames[] = {
    {"cpu", RLIMIT_CPU},     {"as", RLIMIT_AS},       {"fsize", RLIMIT_FSIZE},
    {"core", RLIMIT_CORE},   {"nofile", RLIMIT_NOFILE}, {"nproc", RLIMIT_NPROC}};

constexpr std::pair<const char*, unsigned> kNamespaceNames[] = {
    {"mount", mount_ns}, {"ipc", ipc_ns}, {"pid", pid_ns}};

std::string limit_name(int resource) {
  for (const auto& [name, r] : kLimitNames)
    if (r == resource) return name;
  throw std::invalid_argument("a limit the fence does not know: " + std::to_string(resource));
}

limit parse_limit(const std::string& text) {
  auto eq = text.find('=');
  for (const auto& [name, r] : kLimitNames)
    if (eq != std::string::npos && text.compare(0, eq, name) == 0 && eq == std::string(name).size())
      return {r, static_cast<rlim_t>(std::stoull(text.substr(eq + 1)))};
  throw std::invalid_argument("--limit " + text + ": expected NAME=VALUE, NAME one of cpu, as, "
                              "fsize, core, nofile, nproc");
}

unsigned parse_namespaces(const std::string& list) {
  unsigned out = 0;
  std::size_t at = 0;
  while (at <= list.size()) {
    auto comma = std::min(list.find(',', at), list.size());
    std::string item = list.substr(at, comma - at);
    auto known = std::find_if(std::begin(kNamespaceNames), std::end(kNamespaceNames),
                              [&](auto& n) { return item == n.first; });
    if (known == std::end(kNamespaceNames))
      throw std::invalid_argument("--ns " + list + ": expected mount, ipc, pid");
    out |= known->second;
    at = comma + 1;
  }
  return out;
}

}  // namespace

std::vector<std::string> to_args(const policy& p) {
  std::vector<std::string> a;
  std::string ns;
  for (const auto& [name, bit] : kNamespaceNames)
    if (p.namespaces & bit) ns += (ns.empty() ? "" : ",") + std::string(name);
  if (!ns.empty()) a.insert(a.end(), {"--ns", ns});
  for (const auto& h : p.view.hidden) a.insert(a.end(), {"--hide", h});
  for (const auto& k : p.view.kept) a.insert(a.end(), {"--keep", k});
  for (const auto& s : p.view.scratch) a.insert(a.end(), {"--scratch", s});
  if (p.system_only) a.push_back("--system-only");
  if (p.uid != static_cast<uid_t>(-1))
    a.insert(a.end(), {"--user", std::to_string(p.uid) + ":" + std::to_string(p.gid)});
  for (const auto& l : p.limits)
    a.insert(a.end(), {"--limit", limit_name(l.resource) + "=" + std::to_string(l.value)});
  if (!p.workdir.empty()) a.insert(a.end(), {"--workdir", p.workdir});
  if (!p.weaker.empty()) a.insert(a.end(), {"--weaker", p.weaker});
  a.push_back("--");
  return a;
}

policy from_args(const std::vector<std::string>& args, std::size_t& target) {
  policy p;
  std::size_t i = 0;
  auto value = [&](const std::string& option) -> const std::string& {
    if (i + 1 >= args.size()) throw std::invalid_argument(option + " needs a value");
    return args[++i];
  };
  for (; i < args.size() && args[i] != "--"; ++i) {
    const std::string& a = args[i];
    if (a == "--ns") p.namespaces = parse_namespaces(value(a));
    else if (a == "--hide") p.view.hidden.push_back(value(a));
    else if (a == "--keep") p.view.kept.push_back(value(a));
    else if (a == "--scratch") p.view.scratch.push_back(value(a));
    else if (a == "--system-only") p.system_only = true;
    else if (a == "--user") {
      const std::string& ids = value(a);
      auto colon = ids.find(':');
      if (colon == std::string::npos) throw std::invalid_argument("--user " + ids + ": expected UID:GID");
      p.uid = static_cast<uid_t>(std::stoul(ids.substr(0, colon)));
      p.gid = static_cast<gid_t>(std::stoul(ids.substr(colon + 1)));
    } else if (a == "--limit") p.limits.push_back(parse_limit(value(a)));
    else if (a == "--workdir") p.workdir = value(a);
    else if (a == "--weaker") p.weaker = value(a);
    else throw std::invalid_argument("unknown argument " + a);
  }
  if (i + 1 >= args.size()) throw std::invalid_argument("no target: give -- PROGRAM ARGS...");
  target = i + 1;
  return p;
}

std::string broken_rule(const policy& p) {
  bool view = !p.view.hidden.empty() || !p.view.scratch.empty() || p.system_only;
  if (view && !(p.namespaces & mount_ns) && p.weaker.empty())
    return "the policy hides folders but asks for no mount namespace (and accepts no weaker fence)";
  if ((p.namespaces & pid_ns) && ((p.namespaces & (mount_ns | ipc_ns)) != (mount_ns | ipc_ns) ||
                                  p.view.scratch.empty()))
    return "a PID namespace comes only with mount and IPC namespaces and private scratch folders";
  if ((p.uid == static_cast<uid_t>(-1)) != (p.gid == static_cast<gid_t>(-1)))
    return "a user needs its group";
  return "";
}

}  // namespace ipclab::fence
