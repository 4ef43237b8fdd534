// The table of `boai`'s commands and flags: what each command takes, what each shared flag
// sets in Options (and which BOAI_* variable sets it too). options.cpp parses a command line by
// it and prints the usage from it; a new command is a row here and a function in its own file.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/options.hpp"

namespace boai::app {

// A flag every command (or serve alone) shares, stored in Options.
struct SharedFlag {
  const char* name;
  const char* env;
  const char* help;
  bool serve_only;
  std::function<std::optional<std::string>(Options&, const std::string&)> apply;  // error or none
  bool is_switch = false;  // takes no value on the command line ("1" in the environment)
};

// A command's own flag: a value, or a switch when value_name is null.
struct OwnFlag {
  const char* name;
  const char* value_name;
  const char* help;
};

struct CommandSpec {
  Command command;
  const char* words;       // "campaign add"
  const char* positional;  // "SLUG", or nullptr
  const char* help;
  std::vector<OwnFlag> flags;
  std::vector<const char*> required;
};

const std::vector<SharedFlag>& shared_flags();
const std::vector<CommandSpec>& commands();

}  // namespace boai::app
