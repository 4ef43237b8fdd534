// Parsing `boai COMMAND [ARGS] [--flag value | --flag=value | --switch]...` from a table of
// commands, with BOAI_* variables underneath the shared flags.
#include "app/options.hpp"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <functional>

#include "app/command_table.hpp"

extern char** environ;

namespace boai::app {

namespace {

std::vector<std::string> split_words(const char* words) {
  std::vector<std::string> out;
  std::string w;
  for (const char* p = words; *p != '\0'; ++p) {
    if (*p == ' ') {
      out.push_back(w);
      w.clear();
    } else {
      w += *p;
    }
  }
  out.push_back(w);
  return out;
}

}  // namespace

const std::map<std::string, double>& limit_defaults() {
  static const std::map<std::string, double> kDefaults = {{"chat_chars", 200},
                                                          {"nickname_chars", 20},
                                                          {"frame_bytes", 16 * 1024},
                                                          {"messages_per_second", 1},
                                                          {"message_burst", 5},
                                                          {"connections_per_address", 64},
                                                          {"pledges_per_minute", 10},
                                                          {"session_pledges_per_hour", 20},
                                                          {"address_pledges_per_hour", 120},
                                                          {"show_unpaid_up_to_yuan", 2000},
                                                          {"sale_hold_minutes", 30},
                                                          {"refund_approval_above_yuan", 500},
                                                          {"overdue_days", 7},
                                                          {"queued_frames", 1024},
                                                          {"ping_after_idle_seconds", 30},
                                                          {"close_after_silent_seconds", 75},
                                                          {"checkpoint_minutes", 10},
                                                          {"gift_lookups_per_minute", 20},
                                                          {"pay_requests_per_minute", 60}};
  return kDefaults;
}

std::filesystem::path ledger_key_file(const Options& options) {
  return options.ledger_key.empty() ? std::filesystem::path(options.data_dir) / "ledger-key.pem"
                                    : std::filesystem::path(options.ledger_key);
}

Environment current_environment() {
  Environment env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string kv = *e;
    if (auto eq = kv.find('='); eq != std::string::npos) {
      env[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
  }
  return env;
}

namespace {

// The command the first words name, and how many words that took.
std::expected<std::pair<const CommandSpec*, std::size_t>, UsageError> find_command(
    const std::vector<std::string>& args) {
  for (const auto& c : commands()) {
    auto words = split_words(c.words);
    if (args.size() >= words.size() && std::equal(words.begin(), words.end(), args.begin())) {
      return std::pair{&c, words.size()};
    }
  }
  std::string what = args[0];
  if (args.size() > 1 && !args[1].starts_with("-")) {
    what += " " + args[1];
  }
  return std::unexpected(UsageError{"unknown command \"" + what + "\""});
}

// BOAI_* variables set the shared flags first; the command line may override them.
std::optional<UsageError> apply_environment(const Environment& env, bool is_serve,
                                            Options& options) {
  for (const auto& f : shared_flags()) {
    if (f.serve_only && !is_serve) {
      continue;
    }
    auto it = env.find(f.env);
    if (it == env.end() || it->second.empty()) {
      continue;
    }
    if (auto err = f.apply(options, it->second)) {
      return UsageError{std::string(f.env) + ": " + *err};
    }
  }
  return std::nullopt;
}

// Reads the flag at args[i] (and its value, moving i past it) into inv.
std::optional<UsageError> read_flag(const std::vector<std::string>& args, std::size_t& i,
                                    const CommandSpec& spec, Invocation& inv) {
  const std::string& arg = args[i];
  std::string name = arg, value;
  bool has_value = false;
  if (auto eq = arg.find('='); eq != std::string::npos) {
    name = arg.substr(0, eq);
    value = arg.substr(eq + 1);
    has_value = true;
  }
  auto take_value = [&]() -> std::expected<std::string, UsageError> {
    if (has_value) {
      return value;
    }
    if (i + 1 >= args.size()) {
      return std::unexpected(UsageError{name + " needs a value"});
    }
    return args[++i];
  };
  bool is_serve = spec.command == Command::kServe;
  auto shared = std::find_if(
      shared_flags().begin(), shared_flags().end(),
      [&](const SharedFlag& f) { return name == f.name && (!f.serve_only || is_serve); });
  auto own = std::find_if(spec.flags.begin(), spec.flags.end(),
                          [&](const OwnFlag& f) { return name == f.name; });
  if (shared == shared_flags().end() && own == spec.flags.end()) {
    return UsageError{"unknown flag \"" + name + "\""};
  }
  bool is_switch = shared != shared_flags().end() ? shared->is_switch : own->value_name == nullptr;
  if (is_switch) {
    if (has_value) {
      return UsageError{name + " takes no value"};
    }
    if (shared != shared_flags().end()) {
      shared->apply(inv.options, "1");
    } else {
      inv.switches.insert(name);
    }
    return std::nullopt;
  }
  auto v = take_value();
  if (!v) {
    return v.error();
  }
  if (shared != shared_flags().end()) {
    if (auto err = shared->apply(inv.options, *v)) {
      return UsageError{*err};
    }
  } else {
    inv.values[name] = *v;
  }
  return std::nullopt;
}

std::optional<UsageError> check_required(const CommandSpec& spec, const Invocation& inv) {
  if (spec.positional != nullptr && inv.positional.empty()) {
    return UsageError{std::string(spec.words) + " needs " + spec.positional};
  }
  for (const char* required : spec.required) {
    if (!inv.has(required)) {
      return UsageError{std::string(spec.words) + " needs " + required};
    }
  }
  return std::nullopt;
}

}  // namespace

std::expected<Invocation, UsageError> parse_command_line(const std::vector<std::string>& args,
                                                         const Environment& env) {
  Invocation inv;
  inv.options.static_dir = BOAI_DEFAULT_STATIC_DIR;
  if (args.empty()) {
    return inv;
  }
  const std::string& first = args[0];
  if (first == "--help" || first == "-h" || first == "help") {
    return inv;
  }
  if (first == "--version" || first == "-V" || first == "version") {
    inv.command = Command::kVersion;
    return inv;
  }
  auto found = find_command(args);
  if (!found) {
    return std::unexpected(found.error());
  }
  auto [spec, i] = *found;
  inv.command = spec->command;
  if (auto err = apply_environment(env, spec->command == Command::kServe, inv.options)) {
    return std::unexpected(*err);
  }
  for (; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      inv.command = Command::kHelp;
      return inv;
    }
    if (arg.starts_with("--")) {
      if (auto err = read_flag(args, i, *spec, inv)) {
        return std::unexpected(*err);
      }
    } else if (spec->positional == nullptr || !inv.positional.empty()) {
      return std::unexpected(UsageError{"unexpected argument \"" + arg + "\""});
    } else {
      inv.positional.push_back(arg);
    }
  }
  if (auto err = check_required(*spec, inv)) {
    return std::unexpected(*err);
  }
  return inv;
}

std::string usage_text() {
  auto pad = [](std::string s, std::size_t width) {
    s.resize(std::max(s.size() + 1, width), ' ');
    return s;
  };
  std::string text =
      "usage: boai COMMAND [ARGS] [FLAGS]\n"
      "\n"
      "Boai Live (博爱直播): the live studio, live room and open ledger of a Red Cross\n"
      "station.\n"
      "Amounts are yuan, as people write them: 100, 100.50, ¥1,234.50.\n"
      "\n"
      "commands:\n";
  for (const auto& c : commands()) {
    std::string head =
        std::string("  ") + c.words + (c.positional ? std::string(" ") + c.positional : "");
    text += pad(head, 28) + c.help + "\n";
    for (const auto& f : c.flags) {
      std::string flag =
          std::string("      ") + f.name + (f.value_name ? std::string(" ") + f.value_name : "");
      bool required = std::find_if(c.required.begin(), c.required.end(), [&](const char* r) {
                        return std::string(r) == f.name;
                      }) != c.required.end();
      text += pad(flag, 40) + f.help + (required ? " (required)" : "") + "\n";
    }
  }
  text +=
      "  --help                    show this text\n"
      "  --version                 show the version\n"
      "\n"
      "shared flags (each also read from the environment variable shown):\n";
  for (const auto& f : shared_flags()) {
    text += pad(std::string("  ") + f.name + (f.is_switch ? "" : " VALUE"), 28) + f.help + "  [" +
            f.env + "]" + (f.serve_only ? " (serve)" : "") + "\n";
  }
  return text;
}

}  // namespace boai::app
