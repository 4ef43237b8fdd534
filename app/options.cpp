// Parsing `boai COMMAND [--flag value | --flag=value]...` with BOAI_* variables underneath.
#include "app/options.hpp"

#include <charconv>
#include <functional>

extern char** environ;

namespace boai::app {

namespace {

struct Flag {
  const char* name;
  const char* env;
  const char* help;
  std::function<std::optional<std::string>(Options&, const std::string&)> apply;  // error or none
};

std::optional<std::string> set_listen(Options& o, const std::string& v) {
  auto colon = v.rfind(':');
  if (colon == std::string::npos || colon == 0) return "--listen wants HOST:PORT, got \"" + v + "\"";
  int port = -1;
  auto p = v.substr(colon + 1);
  auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), port);
  if (ec != std::errc() || end != p.data() + p.size() || port < 0 || port > 65535) {
    return "--listen wants a port from 0 to 65535, got \"" + p + "\"";
  }
  o.listen_host = v.substr(0, colon);
  o.listen_port = port;
  return std::nullopt;
}

const std::vector<Flag>& flags() {
  static const std::vector<Flag> kFlags = {
      {"--listen", "BOAI_LISTEN", "HOST:PORT to serve on (default 127.0.0.1:8080; port 0 picks one)",
       set_listen},
      {"--data-dir", "BOAI_DATA_DIR", "where boai keeps its files and private PostgreSQL (default ./var)",
       [](Options& o, const std::string& v) -> std::optional<std::string> {
         o.data_dir = v;
         return std::nullopt;
       }},
      {"--database-url", "BOAI_DATABASE_URL",
       "PostgreSQL to use instead of the private one (postgresql://... or key=value)",
       [](Options& o, const std::string& v) -> std::optional<std::string> {
         o.database_url = v;
         return std::nullopt;
       }},
      {"--static-dir", "BOAI_STATIC_DIR", "the pages to serve (default: web/static of this build)",
       [](Options& o, const std::string& v) -> std::optional<std::string> {
         o.static_dir = v;
         return std::nullopt;
       }},
  };
  return kFlags;
}

}  // namespace

Environment current_environment() {
  Environment env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string kv = *e;
    if (auto eq = kv.find('='); eq != std::string::npos) env[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  return env;
}

std::expected<Invocation, UsageError> parse_command_line(const std::vector<std::string>& args,
                                                         const Environment& env) {
  Invocation inv;
  inv.options.static_dir = BOAI_DEFAULT_STATIC_DIR;
  std::size_t i = 0;
  if (args.empty()) return inv;
  const std::string& first = args[0];
  if (first == "--help" || first == "-h" || first == "help") return inv;
  if (first == "--version" || first == "-V" || first == "version") {
    inv.command = Command::kVersion;
    return inv;
  }
  if (first == "serve") {
    inv.command = Command::kServe;
  } else if (first == "migrate") {
    inv.command = Command::kMigrate;
  } else {
    return std::unexpected(UsageError{"unknown command \"" + first + "\""});
  }
  ++i;

  for (const auto& f : flags()) {
    auto it = env.find(f.env);
    if (it == env.end() || it->second.empty()) continue;
    if (auto err = f.apply(inv.options, it->second)) {
      return std::unexpected(UsageError{std::string(f.env) + ": " + *err});
    }
  }
  for (; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      inv.command = Command::kHelp;
      return inv;
    }
    std::string name = arg, value;
    bool has_value = false;
    if (auto eq = arg.find('='); arg.starts_with("--") && eq != std::string::npos) {
      name = arg.substr(0, eq);
      value = arg.substr(eq + 1);
      has_value = true;
    }
    auto f = std::find_if(flags().begin(), flags().end(), [&](const Flag& x) { return name == x.name; });
    if (f == flags().end()) return std::unexpected(UsageError{"unknown flag \"" + name + "\""});
    if (!has_value) {
      if (i + 1 >= args.size()) return std::unexpected(UsageError{name + " needs a value"});
      value = args[++i];
    }
    if (auto err = f->apply(inv.options, value)) return std::unexpected(UsageError{*err});
  }
  return inv;
}

std::string usage_text() {
  std::string text =
      "usage: boai COMMAND [FLAGS]\n"
      "\n"
      "Boai Live (博爱直播): the live studio, live room and open ledger of a Red Cross station.\n"
      "\n"
      "commands:\n"
      "  serve      run the live service (and a private PostgreSQL unless --database-url)\n"
      "  migrate    bring the database schema up to date, then exit\n"
      "  --help     show this text\n"
      "  --version  show the version\n"
      "\n"
      "flags (each also read from the environment variable shown):\n";
  for (const auto& f : flags()) {
    std::string left = std::string("  ") + f.name + " VALUE";
    left.resize(std::max<std::size_t>(left.size() + 1, 24), ' ');
    text += left + f.help + "  [" + f.env + "]\n";
  }
  return text;
}

}  // namespace boai::app
