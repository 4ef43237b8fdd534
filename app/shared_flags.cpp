// The shared flags (those every command takes) and the setters that store them in Options.
#include <charconv>

#include "app/command_table.hpp"
#include "app/pay_order_flags.hpp"
#include "web/client_address.hpp"

namespace boai::app {

namespace {

std::optional<std::string> set_listen(Options& o, const std::string& v) {
  auto colon = v.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return "--listen wants HOST:PORT, got \"" + v + "\"";
  }
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

std::vector<std::string> comma_list(const std::string& v) {
  std::vector<std::string> items;
  std::string item;
  for (char c : v + ",") {
    if (c != ',') {
      item += c;
    } else if (!item.empty()) {
      items.push_back(item);
      item.clear();
    }
  }
  return items;
}

// A flag whose value is a number of gigabytes (fractions allowed), kept as bytes.
Setter set_gigabytes(std::uint64_t Options::*field, const char* flag) {
  return [field, flag](Options& o, const std::string& v) -> std::optional<std::string> {
    double gb = -1;
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), gb);
    if (ec != std::errc() || end != v.data() + v.size() || gb < 0 || gb > 1e6) {
      return std::string(flag) + " wants a number of gigabytes, got \"" + v + "\"";
    }
    o.*field = static_cast<std::uint64_t>(gb * 1e9);
    return std::nullopt;
  };
}

// A flag whose value is a comma-separated list.
Setter set_list(std::vector<std::string> Options::*field) {
  return [field](Options& o, const std::string& v) -> std::optional<std::string> {
    o.*field = comma_list(v);
    return std::nullopt;
  };
}

// --trusted-proxies: checked here, so that a typo stops boai before it serves.
std::optional<std::string> set_trusted_proxies(Options& o, const std::string& v) {
  auto cidrs = comma_list(v);
  if (auto parsed = web::TrustedProxies::parse(cidrs); !parsed) {
    return parsed.error().message;
  }
  o.trusted_proxies = std::move(cidrs);
  return std::nullopt;
}

// A payment-notice flag kept as it is in Options::pay_notices.
Setter set_notice_text(std::string notices::NoticeFiles::*field) {
  return [field](Options& o, const std::string& v) -> std::optional<std::string> {
    o.pay_notices.*field = v;
    return std::nullopt;
  };
}

std::optional<std::string> set_notice_certs(Options& o, const std::string& v) {
  o.pay_notices.wechat_platform_certs = comma_list(v);
  return std::nullopt;
}

std::optional<std::string> set_notice_skew(Options& o, const std::string& v) {
  std::int64_t seconds = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), seconds);
  if (ec != std::errc() || end != v.data() + v.size() || seconds < 1 || seconds > 86400) {
    return "--pay-notify-max-skew wants seconds from 1 to 86400, got \"" + v + "\"";
  }
  o.pay_notices.max_skew_seconds = seconds;
  return std::nullopt;
}

std::optional<std::string> set_limits(Options& o, const std::string& v) {
  std::string item;
  for (char c : v + ",") {
    if (c != ',') {
      item += c;
      continue;
    }
    if (item.empty()) {
      continue;
    }
    auto eq = item.find('=');
    std::string name = item.substr(0, eq);
    if (eq == std::string::npos || !limit_defaults().contains(name)) {
      return "--limits: unknown limit \"" + name + "\"";
    }
    char* end = nullptr;
    double value = std::strtod(item.c_str() + eq + 1, &end);
    // A follow-up list may start at once; every other limit of nothing would stop the room.
    bool zero_allowed = name == "overdue_days";
    if (end == item.c_str() + eq + 1 || *end != '\0' || value < 0 ||
        (value == 0 && !zero_allowed)) {
      return "--limits: " + name + (zero_allowed ? " wants 0 or more" : " wants a positive number");
    }
    o.limits[name] = value;
    item.clear();
  }
  return std::nullopt;
}

std::vector<SharedFlag> with_pay_order_flags(std::vector<SharedFlag> flags) {
  const auto& more = pay_order_flags();
  flags.insert(flags.end(), more.begin(), more.end());
  return flags;
}

}  // namespace

const std::vector<SharedFlag>& shared_flags() {
  static const std::vector<SharedFlag> kFlags = with_pay_order_flags({
      {"--listen", "BOAI_LISTEN",
       "HOST:PORT to serve on (default 127.0.0.1:8080; port 0 picks one)", true, set_listen},
      {"--data-dir", "BOAI_DATA_DIR",
       "where boai keeps its files and private PostgreSQL (default ./var)", false,
       set_text(&Options::data_dir)},
      {"--database-url", "BOAI_DATABASE_URL",
       "PostgreSQL to use instead of the private one (postgresql://... or key=value)", false,
       set_text(&Options::database_url)},
      {"--static-dir", "BOAI_STATIC_DIR",
       "the built pages to serve (default: static/ of this build)", true,
       set_text(&Options::static_dir)},
      {"--tls-cert", "BOAI_TLS_CERT", "PEM certificate: serve HTTPS and WSS (with --tls-key)", true,
       set_text(&Options::tls_cert)},
      {"--tls-key", "BOAI_TLS_KEY", "PEM private key of --tls-cert", true,
       set_text(&Options::tls_key)},
      {"--origin", "BOAI_ORIGIN",
       "origins allowed to open /ws, comma separated (default: the page's own)", true,
       set_list(&Options::allowed_origins)},
      {"--trusted-proxies", "BOAI_TRUSTED_PROXIES",
       "proxies (CIDRs, comma separated) whose X-Forwarded-For names the client", true,
       set_trusted_proxies},
      {"--pay-account", "BOAI_PAY_ACCOUNT", "the station's account donors transfer to", true,
       set_text(&Options::pay_account)},
      {"--metrics-token", "BOAI_METRICS_TOKEN",
       "/metrics answers only with Authorization: Bearer TOKEN (default: to anyone)", true,
       set_text(&Options::metrics_token)},
      {"--limits", "BOAI_LIMITS",
       "limits, name=value,... (chat_chars, nickname_chars, frame_bytes, "
       "messages_per_second, message_burst, connections_per_address, pledges_per_minute, "
       "session_pledges_per_hour, address_pledges_per_hour, show_unpaid_up_to_yuan, "
       "sale_hold_minutes, refund_approval_above_yuan, overdue_days, queued_frames, "
       "ping_after_idle_seconds, close_after_silent_seconds; README)",
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
       "the camera: test, clock, v4l2:/dev/video0, srt://:9000, rtmp://..., file:PATH (default "
       "test)",
       true, set_text(&Options::source)},
      {"--slides-dir", "BOAI_SLIDES_DIR", "a folder of PNG/JPEG slides the host steps through",
       true, set_text(&Options::slides_dir)},
      {"--hls-dir", "BOAI_HLS_DIR", "where the studio writes HLS (default DATA_DIR/hls)", true,
       set_text(&Options::hls_dir)},
      {"--recordings-dir", "BOAI_RECORDINGS_DIR",
       "where broadcasts are recorded (default DATA_DIR/recordings)", true,
       set_text(&Options::recordings_dir)},
      {"--recordings-max-gb", "BOAI_RECORDINGS_MAX_GB",
       "the replay library's disk budget: the oldest unpinned replays go beyond it (default 0: "
       "none)",
       true, set_gigabytes(&Options::recordings_max_bytes, "--recordings-max-gb")},
      {"--recordings-min-free-gb", "BOAI_RECORDINGS_MIN_FREE_GB",
       "free space kept on the recordings' disk by removing the oldest replays; recording stops "
       "below a quarter of it (default 1)",
       true, set_gigabytes(&Options::recordings_min_free_bytes, "--recordings-min-free-gb")},
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
      {"--ledger-key", "BOAI_LEDGER_KEY",
       "the Ed25519 key that signs ledger checkpoints (default DATA_DIR/ledger-key.pem)", true,
       set_text(&Options::ledger_key)},
      {"--pay-qr-url", "BOAI_PAY_QR_URL", "the station's payment QR image", true,
       set_text(&Options::pay_qr_url)},
      {"--wechatpay-mchid", "BOAI_WECHATPAY_MCHID",
       "the station's WeChat Pay merchant number (bills and notices for others are refused)", false,
       set_notice_text(&notices::NoticeFiles::wechat_mchid)},
      {"--wechatpay-apiv3-key-file", "BOAI_WECHATPAY_APIV3_KEY_FILE",
       "file holding the 32-byte WeChat Pay APIv3 key", true,
       set_notice_text(&notices::NoticeFiles::wechat_apiv3_key_file)},
      {"--wechatpay-platform-cert", "BOAI_WECHATPAY_PLATFORM_CERT",
       "WeChat Pay platform certificates (PEM), comma separated; serials read from them", true,
       set_notice_certs},
      {"--alipay-app-id", "BOAI_ALIPAY_APP_ID",
       "Alipay app_id whose notices POST /api/pay/notify/alipay takes", true,
       set_notice_text(&notices::NoticeFiles::alipay_app_id)},
      {"--alipay-seller-id", "BOAI_ALIPAY_SELLER_ID",
       "the station's Alipay partner id, 2088... (bills and notices for others are refused)", false,
       set_notice_text(&notices::NoticeFiles::alipay_seller_id)},
      {"--alipay-public-key", "BOAI_ALIPAY_PUBLIC_KEY", "file holding Alipay's RSA public key",
       true, set_notice_text(&notices::NoticeFiles::alipay_public_key_file)},
      {"--pay-notify-hmac-key-file", "BOAI_PAY_NOTIFY_HMAC_KEY_FILE",
       "file holding the HMAC key of POST /api/pay/notify/generic (32 bytes or more)", true,
       set_notice_text(&notices::NoticeFiles::hmac_key_file)},
      {"--pay-notify-max-skew", "BOAI_PAY_NOTIFY_MAX_SKEW",
       "seconds a notice's timestamp may be off our clock (default 300)", true, set_notice_skew},
  });
  return kFlags;
}

}  // namespace boai::app
