// `boai serve`: the database, the live service on the GLib main loop, and a clean shutdown on
// SIGINT or SIGTERM.
#include <glib-unix.h>
#include <glib.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>

#include "app/approval_routes.hpp"
#include "app/checkpoint_signer.hpp"
#include "app/commands.hpp"
#include "app/database_health.hpp"
#include "app/database_setup.hpp"
#include "app/exception_routes.hpp"
#include "app/finance_routes.hpp"
#include "app/ledger_event_hub.hpp"
#include "app/low_latency_routes.hpp"
#include "app/open_books_routes.hpp"
#include "app/pay_notice_routes.hpp"
#include "app/pay_order_routes.hpp"
#include "app/payment_thanks.hpp"
#include "app/period_routes.hpp"
#include "app/photo_routes.hpp"
#include "app/replay_keeper.hpp"
#include "app/serve_config.hpp"
#include "app/show.hpp"
#include "app/site_routes.hpp"
#include "app/statement_routes.hpp"
#include "donations/outbox_relay.hpp"
#include "donations/pledge_batcher.hpp"
#include "sql/worker_pool.hpp"
#include "stream/gstreamer_runtime.hpp"
#include "web/listen_address.hpp"
#include "web/live_room.hpp"
#include "web/live_service.hpp"
#include "web/session_token.hpp"
#include "web/staff_routes.hpp"

namespace boai::app {

namespace {

// The key the live room signs session ids with (web/session_token.hpp).
std::expected<std::string, Error> read_session_key(const std::string& conninfo) {
  auto conn = sql::Connection::open(conninfo);
  if (!conn) {
    return std::unexpected(conn.error().to_error());
  }
  return web::load_session_key(*conn);
}

// Jobs that may wait for a database worker before a request is answered 503 busy: the routes'
// (a second of work at most), and the room's (its writes are batched per room, so few wait).
constexpr std::size_t kRouteJobsQueued = 256;
constexpr std::size_t kRoomJobsQueued = 4096;

int quit_loop(void* loop) {
  std::printf("boai: shutting down\n");
  std::fflush(stdout);
  g_main_loop_quit(static_cast<GMainLoop*>(loop));
  return G_SOURCE_CONTINUE;
}

// Whether a request shows the metrics token (compared in constant time); none set: anyone may.
bool may_read_metrics(const web::HttpRequest& request, const std::string& token) {
  if (token.empty()) {
    return true;
  }
  std::string shown = request.header("authorization");
  std::string wanted = "Bearer " + token;
  unsigned char differ = shown.size() == wanted.size() ? 0 : 1;
  for (std::size_t i = 0; i < shown.size() && i < wanted.size(); ++i) {
    differ |= static_cast<unsigned char>(shown[i] ^ wanted[i]);
  }
  return differ == 0;
}

std::vector<web::HttpRoute> health_routes(const DatabaseHealth& health, web::Metrics& metrics,
                                          const std::string& metrics_token) {
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
       [&metrics, metrics_token](const web::HttpRequest& request, web::HttpResponder respond) {
         if (!may_read_metrics(request, metrics_token)) {
           return respond(
               {401,
                "application/json",
                R"({"error":"metrics_token_required","message":"send the metrics token"})",
                {{"Cache-Control", "no-store"}, {"WWW-Authenticate", "Bearer"}}});
         }
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

std::expected<std::unique_ptr<Show>, Error> start_show(const Options& options,
                                                       const std::string& conninfo,
                                                       const ServeDirs& dirs, web::LiveRoom& room,
                                                       web::Metrics& metrics) {
  std::error_code ec;
  std::filesystem::create_directories(dirs.hls, ec);
  std::filesystem::create_directories(dirs.recordings, ec);
  stream::init_gstreamer();
  return Show::start(studio_config(options, conninfo, dirs), room, metrics);
}

// How a database pool keeps up: jobs waiting, and jobs refused `busy` (answered 503) since start.
void add_pool_gauges(web::Metrics& metrics, const std::string& name, const sql::WorkerPool& pool) {
  metrics.gauge("boai_db_jobs_waiting{pool=\"" + name + "\"}",
                "database jobs waiting for a worker, by pool",
                [&pool] { return static_cast<double>(pool.queued()); });
  metrics.gauge("boai_db_jobs_refused{pool=\"" + name + "\"}",
                "database jobs answered busy since boai started, by pool (a full queue)",
                [&pool] { return static_cast<double>(pool.refused()); });
}

void add_process_gauges(web::Metrics& metrics, const DatabaseHealth& health) {
  auto started = std::chrono::steady_clock::now();
  metrics.gauge("boai_database_up", "1 while the database answers",
                [&health] { return health.up() ? 1.0 : 0.0; });
  metrics.gauge("boai_uptime_seconds", "seconds since boai serve started", [started] {
    return static_cast<double>(
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started)
            .count());
  });
}

web::Authenticator staff_authenticator(sql::WorkerPool& pool) {
  return [&pool](const std::string& cookie,
                 std::function<void(std::optional<web::StaffIdentity>)> done) {
    web::authenticate(pool, cookie, [done](std::optional<web::StaffSession> s) {
      done(s ? std::optional<web::StaffIdentity>(
                   web::StaffIdentity{s->name, s->role, s->user_id, s->session_key, s->expires_at})
             : std::nullopt);
    });
  };
}

std::vector<web::HttpRoute> all_routes(const DatabaseHealth& health, web::Metrics& metrics,
                                       sql::WorkerPool& pool, bool secure_cookies,
                                       web::LiveRoom& room, const SiteInfo& site, Show* show,
                                       const ServeDirs& dirs,
                                       donations::Money refund_approval_above,
                                       const std::string& metrics_token) {
  auto routes = health_routes(health, metrics, metrics_token);
  routes.push_back(photo_route(pool, dirs.proofs));
  for (auto& r : finance_routes(pool)) {
    routes.push_back(std::move(r));
  }
  for (auto& r : approval_routes(pool, refund_approval_above)) {
    routes.push_back(std::move(r));
  }
  for (auto& r : period_routes(pool)) {
    routes.push_back(std::move(r));
  }
  auto signed_out = [&room](const std::string& notice) { room.staff_changed(notice); };
  for (auto& r : web::staff_routes(pool, secure_cookies, signed_out)) {
    routes.push_back(std::move(r));
  }
  for (auto& r : site_routes(site, pool, show)) {
    routes.push_back(std::move(r));
  }
  if (show != nullptr) {
    auto& studio = show->studio();
    for (auto& r : low_latency_routes({show->room(), studio.room_dir(), studio.live_edge()})) {
      routes.push_back(std::move(r));
    }
  }
  return routes;
}

// Once the service listens: the QR code's address, and --go-live.
void start_show_on_air(Show& show, const Options& options, const std::string& base_url) {
  show.set_viewer_url((options.public_url.empty() ? base_url : options.public_url) + "/r/" +
                      show.room());
  if (options.go_live) {
    if (auto live = show.studio().go_live(); !live) {
      std::fprintf(stderr, "boai: studio: %s\n", live.error().message.c_str());
    }
  }
}

// Runs the loop until SIGINT or SIGTERM, then says goodbye to every viewer (1001) and gives the
// frames a moment to leave.
void run_until_signalled(GMainLoop* loop, web::LiveRoom& room) {
  guint sigint = g_unix_signal_add(SIGINT, quit_loop, loop);
  guint sigterm = g_unix_signal_add(SIGTERM, quit_loop, loop);
  g_main_loop_run(loop);
  g_source_remove(sigint);
  g_source_remove(sigterm);
  room.close_all();
  g_timeout_add(
      300,
      [](gpointer l) -> gboolean {
        g_main_loop_quit(static_cast<GMainLoop*>(l));
        return G_SOURCE_REMOVE;
      },
      loop);
  g_main_loop_run(loop);
}

}  // namespace

int run_serve(const Options& options) {
  if (auto busy = web::check_listen_address(options.listen_host, options.listen_port)) {
    std::fprintf(stderr, "boai: %s\n", busy->message.c_str());
    return 1;
  }
  // The payment providers' keys: a key or certificate that cannot be read stops us here.
  auto notice_settings = notices::load_notice_settings(options.pay_notices);
  if (!notice_settings) {
    std::fprintf(stderr, "boai: %s\n", notice_settings.error().message.c_str());
    return 1;
  }
  auto pay_settings =
      payorders::load_pay_settings(options.pay_orders, *notice_settings, options.public_url);
  if (!pay_settings) {
    std::fprintf(stderr, "boai: %s\n", pay_settings.error().message.c_str());
    return 1;
  }
  auto pay = std::make_shared<const payorders::PaySettings>(std::move(*pay_settings));
  auto db = open_database(options, false);
  if (!db) {
    std::fprintf(stderr, "boai: %s\n", db.error().message.c_str());
    return 1;
  }
  std::unique_ptr<GMainLoop, decltype(&g_main_loop_unref)> loop(g_main_loop_new(nullptr, FALSE),
                                                                &g_main_loop_unref);
  web::Metrics metrics;
  DatabaseHealth health(nullptr, db->conninfo);
  add_process_gauges(metrics, health);

  bool tls = !options.tls_cert.empty() && !options.tls_key.empty();
  // Blocking database work for the HTTP API, off the loop.
  sql::WorkerPool pool(db->conninfo, 2, nullptr, kRouteJobsQueued);
  // The live room's own workers: the public API's reads and the staff's scrypt sign-ins never
  // hold up a chat message, a pledge's checks or a moderation.
  sql::WorkerPool room_pool(db->conninfo, 2, nullptr, kRoomJobsQueued);
  add_pool_gauges(metrics, "routes", pool);
  add_pool_gauges(metrics, "room", room_pool);
  // Relayed once whichever node relays it: a payment's thanks in its room.
  donations::OutboxRelay relay(db->conninfo, thank_payment_in_room);
  // Ledger events leave the batch writers' threads for the loop, where the live room listens.
  LedgerEventHub ledger_events;
  donations::PledgeBatcher pledges({db->conninfo, donations::PledgeLimits{}, 2, 256},
                                   [&relay, &ledger_events](const auto& events) {
                                     relay.poke();
                                     ledger_events.post(events);
                                   });
  auto room_config = live_room_config(options);
  if (auto key = read_session_key(db->conninfo); key) {  // once, before the loop runs
    room_config.session_key = *key;
  } else {
    std::fprintf(stderr, "boai: %s\n", key.error().message.c_str());
    return 1;
  }
  web::LiveRoom room(std::move(room_config), room_pool, pledges, staff_authenticator(room_pool),
                     metrics, nullptr, db->conninfo);
  auto room_hears_ledger =
      ledger_events.listen([&room](const std::vector<donations::DomainEvent>& events) {
        room.on_ledger_events(events);
      });

  // The ledger's signing key: one that cannot be read or made stops us here.
  auto ledger_key = openbooks::LedgerKey::load_or_create(ledger_key_file(options));
  if (!ledger_key) {
    std::fprintf(stderr, "boai: %s\n", ledger_key.error().message.c_str());
    return 1;
  }
  CheckpointSigner signer(pool, std::move(*ledger_key), checkpoint_every(options));

  // The studio, broadcasting into one room, unless this is a web node only.
  auto dirs = serve_dirs(options);
  std::error_code no_proofs_dir;  // then /proofs answers 404 until a proof is saved
  std::filesystem::create_directories(dirs.proofs, no_proofs_dir);
  // Before the show: the show tells it of each broadcast, so it must outlive it.
  stream::init_gstreamer();
  std::filesystem::create_directories(dirs.recordings, no_proofs_dir);
  auto replays = std::make_shared<ReplayKeeper>(
      dirs.recordings,
      stream::DiskBudget{options.recordings_max_bytes, options.recordings_min_free_bytes});
  metrics.gauge("boai_replays_bytes", "bytes the replay library uses on disk",
                [k = std::weak_ptr(replays)] {
                  auto keeper = k.lock();
                  return keeper ? static_cast<double>(keeper->use().used_bytes) : 0.0;
                });
  std::unique_ptr<Show> show;
  std::string studio_room;
  if (options.studio) {
    auto made = start_show(options, db->conninfo, dirs, room, metrics);
    if (!made) {
      std::fprintf(stderr, "boai: studio: %s\n", made.error().message.c_str());
      return 1;
    }
    show = std::move(*made);
    studio_room = show->room();
    show->when_stopped([&signer] { signer.sign_now(); });
    show->keep_replays_with(*replays);
  }

  auto config = live_service_config(options, dirs, room);
  config.request_headers = pay_notice_headers();
  SiteInfo site{options.static_dir,
                options.station_name,
                options.certificate,
                options.credit_code,
                studio_room,
                replays,
                live_room_config(options).show_unpaid_up_to};
  // Behind a proxy that terminates TLS this node speaks plain HTTP, but the browser is on HTTPS:
  // the public address says so, and the session cookie must never travel without it.
  bool secure_cookies = tls || options.public_url.starts_with("https://");
  auto routes = all_routes(health, metrics, pool, secure_cookies, room, site, show.get(), dirs,
                           refund_approval_above(options), options.metrics_token);
  auto money_moved = [&relay] { relay.poke(); };
  // Provider orders wait on the providers for seconds: workers of their own, apart from the site's.
  sql::WorkerPool pay_pool(db->conninfo, pay->any() ? 2 : 1);
  add_pool_gauges(metrics, "pay", pay_pool);
  PayOrderPoller pay_poller(pay, pay_pool, money_moved);
  auto pay_routes =
      pay_order_routes(pay, pay_pool, options.public_url, pay_requests_per_minute(options));
  for (auto& r : pay_routes) {
    routes.push_back(std::move(r));
  }
  // A notice's payment also settles its order (and closes the pledge's other orders) at once.
  auto notice_paid = [&relay, &pay_poller] {
    relay.poke();
    pay_poller.sweep_soon();
  };
  for (auto& r : pay_notice_routes(std::move(*notice_settings), pool, metrics, notice_paid)) {
    r.guard = web::RequestGuard::kAnySite;  // the providers' servers, whatever they say
    routes.push_back(std::move(r));
  }
  for (auto& r : exception_routes(pool, {refund_approval_above(options), overdue_days(options)},
                                  money_moved)) {
    routes.push_back(std::move(r));
  }
  for (auto& r : open_books_routes(
           {options.static_dir, signer.public_key(), gift_lookups_per_minute(options)}, pool)) {
    routes.push_back(std::move(r));
  }
  routes.push_back(statement_route(pool,
                                   {options.pay_notices.wechat_mchid,
                                    options.pay_notices.alipay_seller_id, overdue_days(options)},
                                   money_moved));
  auto service = web::LiveService::start(loop.get(), config, std::move(routes), metrics);
  if (!service) {
    std::fprintf(stderr, "boai: %s\n", service.error().message.c_str());
    return 1;
  }
  wait_for_database(health);
  if (show) {
    std::string base_url = std::string(tls ? "https" : "http") + "://" + options.listen_host + ":" +
                           std::to_string((*service)->port());
    start_show_on_air(*show, options, base_url);
  }

  std::printf("boai: listening on %s://%s:%d/\n", tls ? "https" : "http",
              options.listen_host.c_str(), (*service)->port());
  std::fflush(stdout);
  run_until_signalled(loop.get(), room);
  signer.sign_blocking(db->conninfo);
  show.reset();     // the studio stops at once; the replay is closed at the next start
  replays->stop();  // a remux under way is abandoned and made again at the next start
  stream::join_gstreamer_threads();  // no streaming thread outlives main()
  service->reset();
  if (db->embedded) {
    db->embedded->release();
  }
  std::printf("boai: stopped\n");
  return 0;
}

}  // namespace boai::app
