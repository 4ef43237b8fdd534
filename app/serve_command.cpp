// `boai serve`: the database, the live service on the GLib main loop, and a clean shutdown on
// SIGINT or SIGTERM.
#include <glib-unix.h>
#include <glib.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>

#include "app/commands.hpp"
#include "app/database_health.hpp"
#include "app/database_setup.hpp"
#include "app/ledger_event_hub.hpp"
#include "app/show.hpp"
#include "app/site_routes.hpp"
#include "donations/outbox_relay.hpp"
#include "donations/pledge_batcher.hpp"
#include "sql/worker_pool.hpp"
#include "stream/gstreamer_runtime.hpp"
#include "web/live_room.hpp"
#include "web/live_service.hpp"
#include "web/staff_routes.hpp"

namespace boai::app {

namespace {

int quit_loop(void* loop) {
  std::printf("boai: shutting down\n");
  std::fflush(stdout);
  g_main_loop_quit(static_cast<GMainLoop*>(loop));
  return G_SOURCE_CONTINUE;
}

std::vector<web::HttpRoute> health_routes(const DatabaseHealth& health, web::Metrics& metrics) {
  return {
      {"/healthz",
       [&health](const web::HttpRequest&, web::HttpResponder respond) {
         bool up = health.up();
         respond({up ? 200 : 503,
                  "application/json",
                  up ? R"({"status":"ok","db":"ok"})" : R"({"status":"unavailable","db":"down"})",
                  {{"Cache-Control", "no-store"}}});
       }},
      {"/metrics",
       [&metrics](const web::HttpRequest&, web::HttpResponder respond) {
         respond({200,
                  "text/plain; version=0.0.4; charset=utf-8",
                  metrics.render(),
                  {{"Cache-Control", "no-store"}}});
       }},
  };
}

// Lets the first health probe land before we say we are up, so /healthz is ok from the start.
void wait_for_database(const DatabaseHealth& health) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!health.up() && std::chrono::steady_clock::now() < deadline) {
    g_main_context_iteration(nullptr, TRUE);
  }
}

}  // namespace

namespace {

// The studio's room: the one named, or the first live campaign, or "main" when there is none.
std::string studio_room_for(const Options& options, const std::string& conninfo) {
  if (!options.studio_room.empty())
    return options.studio_room;
  auto conn = sql::Connection::open(conninfo);
  if (conn) {
    auto live = conn->exec("SELECT slug FROM campaigns WHERE status = 'live' ORDER BY id LIMIT 1");
    if (live && live->rows() == 1)
      return std::string(live->text(0, 0));
  }
  return "main";
}

std::expected<std::unique_ptr<Show>, Error> start_show(const Options& options,
                                                       const std::string& conninfo,
                                                       const std::string& hls_dir,
                                                       const std::string& recordings_dir,
                                                       web::LiveRoom& room, web::Metrics& metrics) {
  std::error_code ec;
  std::filesystem::create_directories(hls_dir, ec);
  std::filesystem::create_directories(recordings_dir, ec);
  stream::init_gstreamer();
  stream::StudioConfig config;
  config.source = options.source;
  config.room = studio_room_for(options, conninfo);
  config.hls_dir = hls_dir;
  config.recordings_dir = recordings_dir;
  config.slides_dir = options.slides_dir;
  config.push_targets = options.push_targets;
  if (!options.certificate.empty() || !options.credit_code.empty()) {
    config.certificate_line = "公开募捐资格证书 " + options.certificate;
    config.certificate_line += " · 统一社会信用代码 " + options.credit_code;
  }
  return Show::start(std::move(config), room, metrics);
}

}  // namespace

int run_serve(const Options& options) {
  if (auto busy = web::check_listen_address(options.listen_host, options.listen_port)) {
    std::fprintf(stderr, "boai: %s\n", busy->message.c_str());
    return 1;
  }
  auto db = open_database(options, false);
  if (!db) {
    std::fprintf(stderr, "boai: %s\n", db.error().message.c_str());
    return 1;
  }
  std::unique_ptr<GMainLoop, decltype(&g_main_loop_unref)> loop(g_main_loop_new(nullptr, FALSE),
                                                                &g_main_loop_unref);
  web::Metrics metrics;
  DatabaseHealth health(nullptr, db->conninfo);
  auto started = std::chrono::steady_clock::now();
  metrics.gauge("boai_database_up", "1 while the database answers",
                [&health] { return health.up() ? 1.0 : 0.0; });
  metrics.gauge("boai_uptime_seconds", "seconds since boai serve started", [started] {
    return static_cast<double>(
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started)
            .count());
  });

  bool tls = !options.tls_cert.empty() && !options.tls_key.empty();
  // Blocking database work for the HTTP API and the live room, off the loop.
  sql::WorkerPool pool(db->conninfo, 2);
  donations::OutboxRelay relay(db->conninfo);
  // Ledger events leave the batch writers' threads for the loop, where the live room listens.
  LedgerEventHub ledger_events;
  donations::PledgeBatcher pledges({db->conninfo, donations::PledgeLimits{}, 2, 256},
                                   [&relay, &ledger_events](const auto& events) {
                                     relay.poke();
                                     ledger_events.post(events);
                                   });
  auto limit = [&options](const char* name) {
    auto it = options.limits.find(name);
    return it != options.limits.end() ? it->second : limit_defaults().at(name);
  };
  web::LiveRoomConfig room_config;
  room_config.pay = {options.pay_account, options.pay_qr_url};
  room_config.max_text_chars = static_cast<std::size_t>(limit("chat_chars"));
  room_config.max_nickname_chars = static_cast<std::size_t>(limit("nickname_chars"));
  room_config.messages_per_second = limit("messages_per_second");
  room_config.message_burst = limit("message_burst");
  room_config.pledges_per_minute = limit("pledges_per_minute");
  web::LiveRoom room(
      room_config, pool, pledges,
      [&pool](const std::string& cookie,
              std::function<void(std::optional<web::StaffIdentity>)> done) {
        web::authenticate(pool, cookie, [done](std::optional<web::StaffSession> s) {
          done(s ? std::optional<web::StaffIdentity>(web::StaffIdentity{s->name, s->role})
                 : std::nullopt);
        });
      },
      metrics, nullptr, db->conninfo);
  auto room_hears_ledger =
      ledger_events.listen([&room](const std::vector<donations::DomainEvent>& events) {
        room.on_ledger_events(events);
      });

  // The studio, broadcasting into one room, unless this is a web node only.
  std::filesystem::path data_dir = options.data_dir;
  std::string hls_dir = options.hls_dir.empty() ? (data_dir / "hls").string() : options.hls_dir;
  std::string recordings_dir =
      options.recordings_dir.empty() ? (data_dir / "recordings").string() : options.recordings_dir;
  std::unique_ptr<Show> show;
  std::string studio_room;
  if (options.studio) {
    auto made = start_show(options, db->conninfo, hls_dir, recordings_dir, room, metrics);
    if (!made) {
      std::fprintf(stderr, "boai: studio: %s\n", made.error().message.c_str());
      return 1;
    }
    show = std::move(*made);
    studio_room = show->room();
  }

  web::LiveServiceConfig config;
  config.host = options.listen_host;
  config.port = options.listen_port;
  config.static_dir = options.static_dir;
  config.ws_endpoint = &room;
  config.ws_limits.allowed_origins = options.allowed_origins;
  config.ws_limits.max_frame_bytes = static_cast<std::size_t>(limit("frame_bytes"));
  config.ws_limits.max_queued_frames = static_cast<std::size_t>(limit("queued_frames"));
  config.ws_limits.ping_after_idle_seconds = static_cast<int>(limit("ping_after_idle_seconds"));
  config.ws_limits.close_after_silent_seconds =
      static_cast<int>(limit("close_after_silent_seconds"));
  config.ws_limits.max_connections_per_address = static_cast<int>(limit("connections_per_address"));
  config.tls_cert = options.tls_cert;
  config.tls_key = options.tls_key;
  config.file_mounts = {{"/hls", hls_dir}, {"/recordings", recordings_dir}};
  auto routes = health_routes(health, metrics);
  for (auto& r : web::staff_routes(pool, tls))
    routes.push_back(std::move(r));
  SiteInfo site{options.static_dir,  options.station_name, options.certificate,
                options.credit_code, studio_room,          recordings_dir};
  for (auto& r : site_routes(site, pool, show.get()))
    routes.push_back(std::move(r));
  auto service = web::LiveService::start(loop.get(), config, std::move(routes), metrics);
  if (!service) {
    std::fprintf(stderr, "boai: %s\n", service.error().message.c_str());
    return 1;
  }
  wait_for_database(health);
  std::string base_url = std::string(tls ? "https" : "http") + "://" + options.listen_host + ":" +
                         std::to_string((*service)->port());
  if (show) {
    show->set_viewer_url((options.public_url.empty() ? base_url : options.public_url) + "/r/" +
                         studio_room);
    if (options.go_live) {
      if (auto live = show->studio().go_live(); !live) {
        std::fprintf(stderr, "boai: studio: %s\n", live.error().message.c_str());
      }
    }
  }

  guint sigint = g_unix_signal_add(SIGINT, quit_loop, loop.get());
  guint sigterm = g_unix_signal_add(SIGTERM, quit_loop, loop.get());
  std::printf("boai: listening on %s://%s:%d/\n", tls ? "https" : "http",
              options.listen_host.c_str(), (*service)->port());
  std::fflush(stdout);

  g_main_loop_run(loop.get());

  g_source_remove(sigint);
  g_source_remove(sigterm);
  // Say goodbye to every viewer (1001), give the frames a moment to leave, then close.
  room.close_all();
  g_timeout_add(
      300,
      [](gpointer l) -> gboolean {
        g_main_loop_quit(static_cast<GMainLoop*>(l));
        return G_SOURCE_REMOVE;
      },
      loop.get());
  g_main_loop_run(loop.get());
  show.reset();  // the studio stops at once; the recording is readable as it is
  if (options.studio)
    stream::join_gstreamer_threads();  // no streaming thread outlives main()
  service->reset();
  if (db->embedded)
    db->embedded->release();
  std::printf("boai: stopped\n");
  return 0;
}

}  // namespace boai::app
