// The command line: which command to run and with what settings. Flags beat BOAI_* environment
// variables, which beat the defaults.
#pragma once

#include <expected>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace boai::app {

enum class Command { kHelp, kVersion, kServe, kMigrate };

struct Options {
  std::string listen_host = "127.0.0.1";
  int listen_port = 8080;
  std::string data_dir = "./var";
  std::optional<std::string> database_url;
  std::string static_dir;  // default: the web/static folder this binary was built from
};

struct Invocation {
  Command command = Command::kHelp;
  Options options;
};

struct UsageError {
  std::string message;
};

using Environment = std::map<std::string, std::string>;
Environment current_environment();

// args excludes the program name.
std::expected<Invocation, UsageError> parse_command_line(const std::vector<std::string>& args,
                                                         const Environment& env);

std::string usage_text();

}  // namespace boai::app
