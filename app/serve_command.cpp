// `boai serve`: the database, the live service on the GLib main loop, and a clean shutdown on
// SIGINT or SIGTERM.
#include <glib-unix.h>
#include <glib.h>

#include <chrono>
#include <csignal>
#include <cstdio>

#include "app/commands.hpp"
#include "app/database_health.hpp"
#include "app/database_setup.hpp"
#include "sql/worker_pool.hpp"
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
         respond({up ? 200 : 503, "application/json",
                  up ? R"({"status":"ok","db":"ok"})" : R"({"status":"unavailable","db":"down"})",
                  {{"Cache-Control", "no-store"}}});
       }},
      {"/metrics",
       [&metrics](const web::HttpRequest&, web::HttpResponder respond) {
         respond({200, "text/plain; version=0.0.4; charset=utf-8", metrics.render(),
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
  metrics.gauge("boai_database_up", "1 while the database answers", [&health] {
    return health.up() ? 1.0 : 0.0;
  });
  metrics.gauge("boai_uptime_seconds", "seconds since boai serve started", [started] {
    return static_cast<double>(std::chrono::duration_cast<std::chrono::seconds>(
                                   std::chrono::steady_clock::now() - started)
                                   .count());
  });

  web::LiveServiceConfig config;
  config.host = options.listen_host;
  config.port = options.listen_port;
  config.static_dir = options.static_dir;
  // Blocking database work for the HTTP API, off the loop.
  sql::WorkerPool pool(db->conninfo, 2);
  auto routes = health_routes(health, metrics);
  for (auto& r : web::staff_routes(pool, false)) routes.push_back(std::move(r));
  auto service = web::LiveService::start(loop.get(), config, std::move(routes), metrics);
  if (!service) {
    std::fprintf(stderr, "boai: %s\n", service.error().message.c_str());
    return 1;
  }
  wait_for_database(health);

  guint sigint = g_unix_signal_add(SIGINT, quit_loop, loop.get());
  guint sigterm = g_unix_signal_add(SIGTERM, quit_loop, loop.get());
  std::printf("boai: listening on http://%s:%d/\n", options.listen_host.c_str(), (*service)->port());
  std::fflush(stdout);

  g_main_loop_run(loop.get());

  g_source_remove(sigint);
  g_source_remove(sigterm);
  service->reset();
  if (db->embedded) db->embedded->release();
  std::printf("boai: stopped\n");
  return 0;
}

}  // namespace boai::app
