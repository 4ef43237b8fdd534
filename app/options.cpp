// Parsing `boai COMMAND [ARGS] [--flag value | --flag=value | --switch]...` from a table of
// commands, with BOAI_* variables underneath the shared flags.
#include "app/options.hpp"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <functional>

extern char** environ;

namespace boai::app {

namespace {

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

std::optional<std::string> set_listen(Options& o, const std::string& v) {
  auto colon = v.rfind(':');
  if (colon == std::string::npos || colon == 0)
    return "--listen wants HOST:PORT, got \"" + v + "\"";
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

using Setter = std::function<std::optional<std::string>(Options&, const std::string&)>;

// A flag whose value is kept as it is, in the Options field it names.
template <typename Field>
Setter set_text(Field Options::*field) {
  return [field](Options& o, const std::string& v) -> std::optional<std::string> {
    o.*field = v;
    return std::nullopt;
  };
}

// A flag whose value is a comma-separated list.
Setter set_list(std::vector<std::string> Options::*field) {
  return [field](Options& o, const std::string& v) -> std::optional<std::string> {
    (o.*field).clear();
    std::string item;
    for (char c : v + ",") {
      if (c != ',') {
        item += c;
      } else if (!item.empty()) {
        (o.*field).push_back(item);
        item.clear();
      }
    }
    return std::nullopt;
  };
}

std::optional<std::string> set_limits(Options& o, const std::string& v) {
  std::string item;
  for (char c : v + ",") {
    if (c != ',') {
      item += c;
      continue;
    }
    if (item.empty())
      continue;
    auto eq = item.find('=');
    std::string name = item.substr(0, eq);
    if (eq == std::string::npos || !limit_defaults().contains(name)) {
      return "--limits: unknown limit \"" + name + "\"";
    }
    char* end = nullptr;
    double value = std::strtod(item.c_str() + eq + 1, &end);
    if (end == item.c_str() + eq + 1 || *end != '\0' || value <= 0) {
      return "--limits: " + name + " wants a positive number";
    }
    o.limits[name] = value;
    item.clear();
  }
  return std::nullopt;
}

const std::vector<SharedFlag>& shared_flags() {
  static const std::vector<SharedFlag> kFlags = {
      {"--listen", "BOAI_LISTEN",
       "HOST:PORT to serve on (default 127.0.0.1:8080; port 0 picks one)", true, set_listen},
      {"--data-dir", "BOAI_DATA_DIR",
       "where boai keeps its files and private PostgreSQL (default ./var)", false,
       set_text(&Options::data_dir)},
      {"--database-url", "BOAI_DATABASE_URL",
       "PostgreSQL to use instead of the private one (postgresql://... or key=value)", false,
       set_text(&Options::database_url)},
      {"--static-dir", "BOAI_STATIC_DIR", "the pages to serve (default: web/static of this build)",
       true, set_text(&Options::static_dir)},
      {"--tls-cert", "BOAI_TLS_CERT", "PEM certificate: serve HTTPS and WSS (with --tls-key)", true,
       set_text(&Options::tls_cert)},
      {"--tls-key", "BOAI_TLS_KEY", "PEM private key of --tls-cert", true,
       set_text(&Options::tls_key)},
      {"--origin", "BOAI_ORIGIN",
       "origins allowed to open /ws, comma separated (default: the page's own)", true,
       set_list(&Options::allowed_origins)},
      {"--pay-account", "BOAI_PAY_ACCOUNT", "the station's account donors transfer to", true,
       set_text(&Options::pay_account)},
      {"--limits", "BOAI_LIMITS",
       "live room limits, name=value,... (chat_chars, nickname_chars, frame_bytes, "
       "messages_per_second, message_burst, connections_per_address, pledges_per_minute, "
       "queued_frames, ping_after_idle_seconds, close_after_silent_seconds)",
       true, set_limits},
      {"--no-studio", "BOAI_NO_STUDIO", "run the live service without the studio (a web node)",
       true,
       [](Options& o, const std::string& v) -> std::optional<std::string> {
         o.studio = v == "0" || v == "false";
         return std::nullopt;
       },
       true},
      {"--go-live", "BOAI_GO_LIVE", "start broadcasting at once (default: the host goes live)",
       true,
       [](Options& o, const std::string& v) -> std::optional<std::string> {
         o.go_live = !(v == "0" || v == "false");
         return std::nullopt;
       },
       true},
      {"--room", "BOAI_ROOM",
       "the campaign the studio broadcasts into (default: the first live one)", true,
       set_text(&Options::studio_room)},
      {"--source", "BOAI_SOURCE",
       "the camera: test, v4l2:/dev/video0, srt://:9000, rtmp://..., file:PATH (default test)",
       true, set_text(&Options::source)},
      {"--slides-dir", "BOAI_SLIDES_DIR", "a folder of PNG/JPEG slides the host steps through",
       true, set_text(&Options::slides_dir)},
      {"--hls-dir", "BOAI_HLS_DIR", "where the studio writes HLS (default DATA_DIR/hls)", true,
       set_text(&Options::hls_dir)},
      {"--recordings-dir", "BOAI_RECORDINGS_DIR",
       "where broadcasts are recorded (default DATA_DIR/recordings)", true,
       set_text(&Options::recordings_dir)},
      {"--push", "BOAI_PUSH", "RTMP(S) URLs to push the broadcast to, comma separated", true,
       set_list(&Options::push_targets)},
      {"--public-url", "BOAI_PUBLIC_URL",
       "how viewers reach this site, for the QR code (default: the listen address)", true,
       set_text(&Options::public_url)},
      {"--station-name", "BOAI_STATION_NAME", "the station's name in the pages", true,
       set_text(&Options::station_name)},
      {"--certificate", "BOAI_CERTIFICATE", "the station's public fundraising certificate number",
       true, set_text(&Options::certificate)},
      {"--credit-code", "BOAI_CREDIT_CODE", "the station's unified social credit code", true,
       set_text(&Options::credit_code)},
      {"--pay-qr-url", "BOAI_PAY_QR_URL", "the station's payment QR image", true,
       set_text(&Options::pay_qr_url)},
  };
  return kFlags;
}

const std::vector<CommandSpec>& commands() {
  static const std::vector<CommandSpec> kCommands = {
      {Command::kServe,
       "serve",
       nullptr,
       "run the live service (and a private PostgreSQL unless --database-url)",
       {},
       {}},
      {Command::kMigrate,
       "migrate",
       nullptr,
       "bring the database schema up to date, then exit",
       {},
       {}},
      {Command::kFundAdd,
       "fund add",
       "SLUG",
       "add a fund (a purpose money is given for)",
       {{"--name", "NAME", "what people call it"}, {"--description", "TEXT", "what it pays for"}},
       {"--name"}},
      {Command::kCampaignAdd,
       "campaign add",
       "SLUG",
       "add a campaign (a live event or an appeal)",
       {{"--title", "TITLE", "its title"},
        {"--goal", "YUAN", "the amount it hopes to raise"},
        {"--fund", "SLUG", "its default fund (default: general)"},
        {"--also-fund", "SLUG,SLUG", "more funds donors may choose"},
        {"--live", nullptr, "open it at once"}},
       {"--title", "--goal"}},
      {Command::kCampaignStatus,
       "campaign status",
       "SLUG",
       "open or close a campaign",
       {{"--set", "draft|live|closed", "the new status"}},
       {"--set"}},
      {Command::kPledgeAdd,
       "pledge add",
       nullptr,
       "record a pledge (desk or cash box); prints its reference",
       {{"--campaign", "SLUG", "the campaign"},
        {"--amount", "YUAN", "how much"},
        {"--name", "NAME", "the donor's name"},
        {"--anonymous", nullptr, "show the donor as 爱心人士"},
        {"--fund", "SLUG", "a fund of the campaign (default: its default fund)"},
        {"--message", "TEXT", "the donor's message"},
        {"--contact", "TEXT", "phone or address, for finance only"},
        {"--channel", "desk|online|live", "where it was made (default desk)"},
        {"--idempotency-key", "KEY", "the same key twice records one pledge"}},
       {"--campaign", "--amount", "--idempotency-key"}},
      {Command::kPledgeCancel, "pledge cancel", "REFERENCE", "cancel an unpaid pledge", {}, {}},
      {Command::kPaymentAdd,
       "payment add",
       nullptr,
       "record money received",
       {{"--provider", "wechat|alipay|bank|cash", "who received it"},
        {"--txn", "ID", "the provider's transaction id"},
        {"--amount", "YUAN", "how much arrived"},
        {"--fee", "YUAN", "the provider's fee (default 0)"},
        {"--reference", "CODE", "the pledge it pays"},
        {"--remark", "TEXT", "the payer's remark (a reference code in it is found)"}},
       {"--provider", "--txn", "--amount"}},
      {Command::kRefundAdd,
       "refund add",
       "REFERENCE",
       "give back money a pledge received",
       {{"--amount", "YUAN", "how much"}, {"--reason", "TEXT", "why"}},
       {"--amount", "--reason"}},
      {Command::kExpenditureAdd,
       "expenditure add",
       nullptr,
       "record money spent from a fund",
       {{"--fund", "SLUG", "the fund it came from"},
        {"--campaign", "SLUG", "the campaign it belongs to, if any"},
        {"--amount", "YUAN", "how much"},
        {"--purpose", "TEXT", "what for"},
        {"--payee", "TEXT", "who was paid"},
        {"--approved-by", "NAME", "who approved it"},
        {"--evidence", "REF", "invoice or voucher number"}},
       {"--fund", "--amount", "--purpose", "--payee", "--approved-by"}},
      {Command::kLedgerVerify,
       "ledger verify",
       nullptr,
       "recompute the hash chain and the totals; exit 1 if anything was altered",
       {{"--from-checkpoint", "FILE", "check what came after the head kept in FILE; keep the new"}},
       {}},
      {Command::kLedgerExport,
       "ledger export",
       nullptr,
       "write the public ledger (ledger.csv, ledger.json)",
       {{"--public", nullptr, "masked names only (the only kind of export)"},
        {"--out", "DIR", "where to write (default .)"}},
       {"--public"}},
      {Command::kUserAdd,
       "user add",
       "NAME",
       "add a staff user; the password is read from stdin",
       {{"--role", "host|finance|admin", "what they may do"}},
       {"--role"}},
  };
  return kCommands;
}

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
                                                          {"queued_frames", 1024},
                                                          {"ping_after_idle_seconds", 30},
                                                          {"close_after_silent_seconds", 75}};
  return kDefaults;
}

Environment current_environment() {
  Environment env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string kv = *e;
    if (auto eq = kv.find('='); eq != std::string::npos)
      env[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  return env;
}

std::expected<Invocation, UsageError> parse_command_line(const std::vector<std::string>& args,
                                                         const Environment& env) {
  Invocation inv;
  inv.options.static_dir = BOAI_DEFAULT_STATIC_DIR;
  if (args.empty())
    return inv;
  const std::string& first = args[0];
  if (first == "--help" || first == "-h" || first == "help")
    return inv;
  if (first == "--version" || first == "-V" || first == "version") {
    inv.command = Command::kVersion;
    return inv;
  }

  const CommandSpec* spec = nullptr;
  std::size_t i = 0;
  for (const auto& c : commands()) {
    auto words = split_words(c.words);
    if (args.size() >= words.size() && std::equal(words.begin(), words.end(), args.begin())) {
      spec = &c;
      i = words.size();
      break;
    }
  }
  if (spec == nullptr) {
    std::string what = first;
    if (args.size() > 1 && !args[1].starts_with("-"))
      what += " " + args[1];
    return std::unexpected(UsageError{"unknown command \"" + what + "\""});
  }
  inv.command = spec->command;
  bool is_serve = spec->command == Command::kServe;

  for (const auto& f : shared_flags()) {
    if (f.serve_only && !is_serve)
      continue;
    auto it = env.find(f.env);
    if (it == env.end() || it->second.empty())
      continue;
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
    if (!arg.starts_with("--")) {
      if (spec->positional == nullptr || !inv.positional.empty()) {
        return std::unexpected(UsageError{"unexpected argument \"" + arg + "\""});
      }
      inv.positional.push_back(arg);
      continue;
    }
    std::string name = arg, value;
    bool has_value = false;
    if (auto eq = arg.find('='); eq != std::string::npos) {
      name = arg.substr(0, eq);
      value = arg.substr(eq + 1);
      has_value = true;
    }
    auto take_value = [&]() -> std::expected<std::string, UsageError> {
      if (has_value)
        return value;
      if (i + 1 >= args.size())
        return std::unexpected(UsageError{name + " needs a value"});
      return args[++i];
    };
    auto shared = std::find_if(
        shared_flags().begin(), shared_flags().end(),
        [&](const SharedFlag& f) { return name == f.name && (!f.serve_only || is_serve); });
    if (shared != shared_flags().end()) {
      if (shared->is_switch) {
        if (has_value)
          return std::unexpected(UsageError{name + " takes no value"});
        shared->apply(inv.options, "1");
        continue;
      }
      auto v = take_value();
      if (!v)
        return std::unexpected(v.error());
      if (auto err = shared->apply(inv.options, *v))
        return std::unexpected(UsageError{*err});
      continue;
    }
    auto own = std::find_if(spec->flags.begin(), spec->flags.end(),
                            [&](const OwnFlag& f) { return name == f.name; });
    if (own == spec->flags.end())
      return std::unexpected(UsageError{"unknown flag \"" + name + "\""});
    if (own->value_name == nullptr) {
      if (has_value)
        return std::unexpected(UsageError{name + " takes no value"});
      inv.switches.insert(name);
      continue;
    }
    auto v = take_value();
    if (!v)
      return std::unexpected(v.error());
    inv.values[name] = *v;
  }
  if (spec->positional != nullptr && inv.positional.empty()) {
    return std::unexpected(UsageError{std::string(spec->words) + " needs " + spec->positional});
  }
  for (const char* required : spec->required) {
    if (!inv.has(required)) {
      return std::unexpected(UsageError{std::string(spec->words) + " needs " + required});
    }
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
