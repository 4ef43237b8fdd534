// The option-to-config translations of `boai serve`.
#include "app/serve_config.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "sql/connection.hpp"

namespace boai::app {

namespace {

double limit(const Options& options, const char* name) {
  auto it = options.limits.find(name);
  return it != options.limits.end() ? it->second : limit_defaults().at(name);
}

// The studio's room: the one named, or the first live campaign, or "main" when there is none.
std::string studio_room_for(const Options& options, const std::string& conninfo) {
  if (!options.studio_room.empty()) {
    return options.studio_room;
  }
  auto conn = sql::Connection::open(conninfo);
  if (conn) {
    auto live = conn->exec("SELECT slug FROM campaigns WHERE status = 'live' ORDER BY id LIMIT 1");
    if (live && live->rows() == 1) {
      return std::string(live->text(0, 0));
    }
  }
  return "main";
}

}  // namespace

ServeDirs serve_dirs(const Options& options) {
  std::filesystem::path data_dir = options.data_dir;
  return {
      options.hls_dir.empty() ? (data_dir / "hls").string() : options.hls_dir,
      options.recordings_dir.empty() ? (data_dir / "recordings").string() : options.recordings_dir,
      (data_dir / "proofs").string()};
}

donations::Money refund_approval_above(const Options& options) {
  return donations::Money::from_fen(
      std::llround(limit(options, "refund_approval_above_yuan") * 100));
}

std::chrono::milliseconds checkpoint_every(const Options& options) {
  // At least a second: a smaller figure is a test's, and a timer of 0 would spin.
  return std::chrono::milliseconds(
      std::max<std::int64_t>(1000, std::llround(limit(options, "checkpoint_minutes") * 60000)));
}

double gift_lookups_per_minute(const Options& options) {
  return limit(options, "gift_lookups_per_minute");
}

double pay_requests_per_minute(const Options& options) {
  return limit(options, "pay_requests_per_minute");
}

int overdue_days(const Options& options) {
  return static_cast<int>(std::clamp(limit(options, "overdue_days"), 0.0, 3650.0));
}

web::LiveRoomConfig live_room_config(const Options& options) {
  web::LiveRoomConfig config;
  config.pay = {options.pay_account, options.pay_qr_url};
  config.proofs_dir = serve_dirs(options).proofs;
  config.max_text_chars = static_cast<std::size_t>(limit(options, "chat_chars"));
  config.max_nickname_chars = static_cast<std::size_t>(limit(options, "nickname_chars"));
  config.messages_per_second = limit(options, "messages_per_second");
  config.message_burst = limit(options, "message_burst");
  config.pledges_per_minute = limit(options, "pledges_per_minute");
  config.pledge_quota.per_session_hour =
      static_cast<int>(limit(options, "session_pledges_per_hour"));
  config.pledge_quota.per_address_hour =
      static_cast<int>(limit(options, "address_pledges_per_hour"));
  config.show_unpaid_up_to = donations::Money::from_fen(
      std::llround(std::clamp(limit(options, "show_unpaid_up_to_yuan"), 0.0, 1e9) * 100));
  config.sale_hold = std::chrono::seconds(
      std::max<std::int64_t>(1, std::llround(limit(options, "sale_hold_minutes") * 60)));
  return config;
}

web::LiveServiceConfig live_service_config(const Options& options, const ServeDirs& dirs,
                                           web::WsEndpoint& room) {
  web::LiveServiceConfig config;
  config.host = options.listen_host;
  config.port = options.listen_port;
  config.static_dir = options.static_dir;
  config.ws_endpoint = &room;
  auto& ws = config.ws_limits;
  ws.allowed_origins = options.allowed_origins;
  ws.max_frame_bytes = static_cast<std::size_t>(limit(options, "frame_bytes"));
  ws.max_queued_frames = static_cast<std::size_t>(limit(options, "queued_frames"));
  ws.ping_after_idle_seconds = static_cast<int>(limit(options, "ping_after_idle_seconds"));
  ws.close_after_silent_seconds = static_cast<int>(limit(options, "close_after_silent_seconds"));
  ws.max_connections_per_address = static_cast<int>(limit(options, "connections_per_address"));
  config.tls_cert = options.tls_cert;
  // Checked when the flag was read.
  config.trusted_proxies = web::TrustedProxies::parse(options.trusted_proxies).value();
  config.tls_key = options.tls_key;
  config.file_mounts = {{"/hls", dirs.hls, web::FileCaching::live},
                        {"/recordings", dirs.recordings, web::FileCaching::recordings},
                        {"/proofs", dirs.proofs, web::FileCaching::proofs}};
  return config;
}

stream::StudioConfig studio_config(const Options& options, const std::string& conninfo,
                                   const ServeDirs& dirs) {
  stream::StudioConfig config;
  config.source = options.source;
  config.room = studio_room_for(options, conninfo);
  config.hls_dir = dirs.hls;
  config.recordings_dir = dirs.recordings;
  // The keeper removes old replays to keep min-free; recording stops only well below it.
  config.recordings_min_free_bytes = options.recordings_min_free_bytes / 4;
  config.slides_dir = options.slides_dir;
  config.push_targets = options.push_targets;
  if (!options.certificate.empty() || !options.credit_code.empty()) {
    config.certificate_line = "公开募捐资格证书 " + options.certificate;
    config.certificate_line += " · 统一社会信用代码 " + options.credit_code;
  }
  return config;
}

}  // namespace boai::app
