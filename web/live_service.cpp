// LiveService: the libwebsockets context on its I/O thread, its mounts, the HTTP route protocol,
// and the hand-over of WebSocket and HTTP traffic to the room and the routes on the GLib loop.
#include "web/live_service.hpp"

#include <arpa/inet.h>
#include <glib.h>
#include <libwebsockets.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <deque>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <unordered_map>
#include <variant>

#include "base/on_loop.hpp"
#include "web/http_exchange.hpp"
#include "web/http_mounts.hpp"
#include "web/internal_words.hpp"
#include "web/io_messages.hpp"
#include "web/io_thread.hpp"
#include "web/listen_address.hpp"
#include "web/mailbox.hpp"
#include "web/remote_connection.hpp"
#include "web/request_guard.hpp"
#include "web/security_headers.hpp"
#include "web/ws_connection.hpp"

namespace boai::web {

namespace {

constexpr const char* kHttpProtocol = "boai-http";
// A turn's share of the writing: long enough to make the look at the sockets between turns
// cheap, short enough (a few milliseconds) that a message read in is broadcast soon.
constexpr int kWritesPerTurn = 256;

// libwebsockets allocates this per connection, zeroed; it only points at our C++ state.
struct HttpSessionData {
  HttpExchange* exchange;
  std::uint64_t id;        // the exchange's name in messages between the threads
  std::size_t body_limit;  // the route's, known from the path before the body comes
};

void log_lws(int level, const char* line) {
  // lws lines end with a newline already.
  std::fprintf(stderr, "boai: libwebsockets %s: %s", level == LLL_ERR ? "error" : "warning", line);
}

}  // namespace

struct LiveService::Impl {
  LiveServiceConfig config;
  std::vector<HttpRoute> routes;  // fixed once started: read by both threads
  Counter* http_requests = nullptr;
  int port = 0;
  std::shared_ptr<bool> alive = std::make_shared<bool>(true);  // read on the loop thread only

  // Between the threads.
  IoThread io;
  Mailbox<ToIo> to_io;
  Mailbox<ToLoop> to_loop;
  GMainContext* loop_context = nullptr;

  // The I/O thread's side: libwebsockets and everything it points into.
  lws_context* context = nullptr;
  lws_vhost* vhost = nullptr;
  // lws keeps pointers into these for the context's life, so they must not move.
  HttpMounts mounts;
  lws_protocols protocols[4] = {};
  WsContext ws;
  std::unique_ptr<WsEndpoint> forwarder;
  ConnectionMap connections;
  std::unordered_map<std::uint64_t, HttpExchange*> exchanges;
  std::uint64_t next_exchange = 1;
  std::vector<ToIo> io_batch;

  // The loop thread's side: the room's handles on the connections. What they post in one turn of
  // the loop (a broadcast is one frame for every viewer) crosses to the I/O thread in one go.
  std::vector<ToIo> unsent;
  RemoteConnection::Post post_to_io = [this](ToIo m) {
    unsent.push_back(std::move(m));
    if (unsent.size() == 1) {
      run_on_loop_later(loop_context, [alive = alive, this] {
        if (*alive) {
          flush_to_io();
        }
      });
    }
  };
  std::unordered_map<std::uint64_t, std::unique_ptr<RemoteConnection>> remotes;
  std::vector<ToLoop> loop_batch;

  std::expected<void, Error> create_context();
  const HttpRoute* route_for(const std::string& path) const {
    const HttpRoute* best = nullptr;
    for (const auto& r : routes) {
      bool match = path == r.prefix || (path.starts_with(r.prefix) && path[r.prefix.size()] == '/');
      if (match && (best == nullptr || r.prefix.size() > best->prefix.size())) {
        best = &r;
      }
    }
    return best;
  }

  std::size_t body_limit_for(const std::string& path) const {
    const HttpRoute* route = route_for(path);
    return route != nullptr && route->max_body_bytes > 0 ? route->max_body_bytes
                                                         : config.max_body_bytes;
  }

  // I/O thread: hands a message to the loop thread, waking it once per batch.
  void tell_loop(ToLoop m) {
    if (!to_loop.push(std::move(m))) {
      return;
    }
    run_on_loop(loop_context, [alive = alive, this] {
      if (*alive) {
        on_loop_messages();
      }
    });
  }

  // I/O thread: answers what it can at once; the routes' handlers run on the loop thread.
  void dispatch(HttpSessionData& session) {
    http_requests->add();
    HttpExchange& ex = *session.exchange;
    if (ex.body_too_large()) {
      ex.respond({413, "application/json", R"({"error":"too_large"})", {}});
      return;
    }
    const HttpRoute* route = route_for(ex.request().path);
    if (route == nullptr) {
      ex.respond({404, "application/json", R"({"error":"not_found"})", {}});
      return;
    }
    if (auto refused =
            refuse_cross_site(ex.request(), route->guard, config.ws_limits.allowed_origins)) {
      ex.respond(std::move(*refused));
      return;
    }
    tell_loop(HttpCall{session.id, route, ex.request()});
  }

  void forget_exchange(HttpSessionData& session) {
    if (session.exchange == nullptr) {
      return;
    }
    exchanges.erase(session.id);
    delete session.exchange;
    session.exchange = nullptr;
  }

  // I/O thread, after every wake: what the loop thread asked for.
  void on_io_messages() {
    to_io.take(io_batch);
    for (auto& message : io_batch) {
      if (auto* send = std::get_if<SendFrame>(&message)) {
        if (auto it = connections.find(send->connection); it != connections.end()) {
          it->second->send(std::move(send->frame));
        }
      } else if (auto* close = std::get_if<CloseConnection>(&message)) {
        if (auto it = connections.find(close->connection); it != connections.end()) {
          it->second->close(close->code, close->reason);
        }
      } else if (auto* reply = std::get_if<HttpReply>(&message)) {
        if (auto it = exchanges.find(reply->exchange); it != exchanges.end()) {
          it->second->respond(std::move(reply->response));
        }
      } else if (auto* taken = std::get_if<FrameTaken>(&message)) {
        frame_taken(ws, connections, taken->connection, taken->bytes);
      }
    }
    io_batch.clear();  // frames are shared: let go of them now, not at the next batch
  }

  // I/O thread, once a turn of its loop: writes the next few connections that have frames
  // waiting, oldest first. Between turns the loop reads what came in, so a chat message is
  // taken in and broadcast while ten thousand viewers are being written, and a viewer not yet
  // reached gets it in the same write. A write may close its own connection: each is looked up.
  bool write_some_queued() {
    for (int n = 0; n < kWritesPerTurn && !ws.to_write.empty(); ++n) {
      auto id = ws.to_write.front();
      ws.to_write.pop_front();
      if (auto it = connections.find(id); it != connections.end()) {
        it->second->write_now();
      }
    }
    return !ws.to_write.empty();
  }

  // Loop thread: hands the turn's messages to the I/O thread, waking it once.
  void flush_to_io() {
    if (!unsent.empty() && to_io.push_all(unsent)) {
      io.wake();
    }
  }

  // Loop thread: what the I/O thread heard.
  void on_loop_messages() {
    to_loop.take(loop_batch);
    WsEndpoint* endpoint = config.ws_endpoint;
    for (auto& message : loop_batch) {
      if (auto* opened = std::get_if<ConnectionOpened>(&message)) {
        auto remote = std::make_unique<RemoteConnection>(
            opened->connection, std::move(opened->peer), std::move(opened->cookie), post_to_io);
        RemoteConnection& c = *remote;
        remotes.emplace(opened->connection, std::move(remote));
        endpoint->on_open(c);
      } else if (auto* text = std::get_if<TextReceived>(&message)) {
        if (auto it = remotes.find(text->connection); it != remotes.end()) {
          endpoint->on_text(*it->second, text->text);
        }
        post_to_io(FrameTaken{text->connection, text->text.size()});
      } else if (auto* closed = std::get_if<ConnectionClosed>(&message)) {
        if (auto it = remotes.find(closed->connection); it != remotes.end()) {
          endpoint->on_close(*it->second);
          remotes.erase(it);
        }
      } else if (auto* call = std::get_if<HttpCall>(&message)) {
        call_route(*call);
      }
    }
    loop_batch.clear();
  }

  void call_route(const HttpCall& call) {
    HttpResponder respond = [alive = alive, this, id = call.exchange,
                             path = call.request.path](HttpResponse response) {
      if (*alive) {
        hide_internal_words(response, path);
        post_to_io(HttpReply{id, std::move(response)});
      }
    };
    try {
      call.route->handler(call.request, respond);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "boai: handler for %s failed: %s\n", call.request.path.c_str(),
                   e.what());
      respond({500, "application/json", R"({"error":"internal"})", {}});
    }
  }

  static int callback(lws* wsi, lws_callback_reasons reason, void* user, void* in, size_t len);
};

// The WebSocket endpoint as the I/O thread sees it: it keeps the connections by id and passes
// what they say on to the room on the loop thread.
class ForwardingEndpoint final : public WsEndpoint {
 public:
  explicit ForwardingEndpoint(LiveService::Impl& service) : service_(service) {}

  void on_open(WsConnection& c) override {
    service_.connections[c.id()] = &static_cast<LwsConnection&>(c);
    service_.tell_loop(ConnectionOpened{c.id(), c.peer(), c.cookie()});
  }
  void on_text(WsConnection& c, std::string_view text) override {
    service_.tell_loop(TextReceived{c.id(), std::string(text)});
    if (service_.ws.inbound.forwarded(c.id(), text.size())) {
      static_cast<LwsConnection&>(c).pause_reading();
    }
  }
  void on_close(WsConnection& c) override {
    service_.ws.inbound.closed(c.id());
    service_.connections.erase(c.id());
    service_.tell_loop(ConnectionClosed{c.id()});
  }

 private:
  LiveService::Impl& service_;
};

int LiveService::Impl::callback(lws* wsi, lws_callback_reasons reason, void* user, void* in,
                                size_t len) {
  auto* self = static_cast<Impl*>(lws_context_user(lws_get_context(wsi)));
  auto* session = static_cast<HttpSessionData*>(user);
  try {
    switch (reason) {
      case LWS_CALLBACK_HTTP: {
        self->forget_exchange(*session);
        session->exchange = new HttpExchange(wsi, self->config.request_headers);
        session->id = self->next_exchange++;
        self->exchanges[session->id] = session->exchange;
        auto& method = session->exchange->request().method;
        if (method == "POST" || method == "PUT") {
          session->body_limit = self->body_limit_for(session->exchange->request().path);
          return 0;  // wait for the body
        }
        self->dispatch(*session);
        return 0;
      }
      case LWS_CALLBACK_HTTP_BODY:
        if (session->exchange != nullptr) {
          session->exchange->append_body(static_cast<const char*>(in), len, session->body_limit);
        }
        return 0;
      case LWS_CALLBACK_HTTP_BODY_COMPLETION:
        if (session->exchange != nullptr) {
          self->dispatch(*session);
        }
        return 0;
      case LWS_CALLBACK_HTTP_WRITEABLE: {
        if (session->exchange == nullptr) {
          return 0;
        }
        bool done = false;
        if (!session->exchange->write_some(done)) {
          return -1;
        }
        if (done) {
          self->forget_exchange(*session);
          if (lws_http_transaction_completed(wsi) != 0) {
            return -1;
          }
        }
        return 0;
      }
      case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
        return -1;  // a WebSocket without the boai.v1 subprotocol is refused
      case LWS_CALLBACK_HTTP_DROP_PROTOCOL:
      case LWS_CALLBACK_CLOSED_HTTP:
        if (session != nullptr) {
          self->forget_exchange(*session);
        }
        return 0;
      default:
        return lws_callback_http_dummy(wsi, reason, user, in, len);
    }
  } catch (const std::exception& e) {
    // Exceptions never cross into libwebsockets: drop this connection, keep the service.
    std::fprintf(stderr, "boai: http callback failed: %s\n", e.what());
    return -1;
  }
}

LiveService::LiveService(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

LiveService::~LiveService() {
  if (!impl_) {
    return;
  }
  // libwebsockets is torn down on its own thread (on_exit); then nothing may reach the loop.
  impl_->io.stop();
  *impl_->alive = false;
}

int LiveService::port() const {
  return impl_->port;
}

// The libwebsockets context on the I/O thread's libev loop, listening.
std::expected<void, Error> LiveService::Impl::create_context() {
  lws_set_log_level(LLL_ERR | LLL_WARN, log_lws);
  lws_context_creation_info info{};
  info.options = LWS_SERVER_OPTION_LIBEV | LWS_SERVER_OPTION_FAIL_UPON_UNABLE_TO_BIND |
                 LWS_SERVER_OPTION_DISABLE_IPV6 | LWS_SERVER_OPTION_VALIDATE_UTF8;
  void* foreign_loops[1] = {io.loop()};
  info.foreign_loops = foreign_loops;
  info.iface = config.host.c_str();
  info.port = config.port;
  info.protocols = protocols;
  // LwsConnection pings and hangs up idle viewers itself (see there). lws' own validity checks
  // are off (a hang-up time of 0): with its default policy every pong moved that connection's
  // timer in one sorted list of all of them, a walk over ten thousand viewers per pong.
  static const lws_retry_bo_t kNoValidityChecks{};
  info.retry_and_idle_policy = &kNoValidityChecks;
  if (!config.tls_cert.empty() && !config.tls_key.empty()) {
    info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
    info.ssl_cert_filepath = config.tls_cert.c_str();
    info.ssl_private_key_filepath = config.tls_key.c_str();
    info.alpn = "h2,http/1.1";
  }
  info.mounts = mounts.build(config.static_dir, config.file_mounts, routes, kHttpProtocol);
  bool tls = !config.tls_cert.empty() && !config.tls_key.empty();
  info.headers = mounts.headers(security_headers(tls));
  info.user = this;
  info.server_string = "boai";
  info.vhost_name = "boai";
  context = lws_create_context(&info);
  if (context == nullptr) {
    return std::unexpected(make_error(
        "listen_failed", "cannot listen on " + config.host + ":" + std::to_string(info.port)));
  }
  return {};
}

std::expected<std::unique_ptr<LiveService>, Error> LiveService::start(GMainLoop* loop,
                                                                      LiveServiceConfig config,
                                                                      std::vector<HttpRoute> routes,
                                                                      Metrics& metrics) {
  if (!std::filesystem::is_directory(config.static_dir)) {
    return std::unexpected(make_error(
        "static_dir_missing", "the page directory " + config.static_dir + " does not exist"));
  }
  if (auto busy = check_listen_address(config.host, config.port)) {
    return std::unexpected(*busy);
  }

  auto impl = std::make_unique<Impl>();
  impl->config = std::move(config);
  set_trusted_proxies(impl->config.trusted_proxies);
  impl->routes = std::move(routes);
  impl->http_requests = &metrics.counter("boai_http_requests_total", "HTTP requests to routes");

  impl->protocols[0] = {kHttpProtocol, &Impl::callback, sizeof(HttpSessionData), 0, 0, nullptr, 0};
  impl->loop_context = g_main_loop_get_context(loop);
  impl->forwarder = std::make_unique<ForwardingEndpoint>(*impl);
  impl->ws.endpoint = impl->config.ws_endpoint != nullptr ? impl->forwarder.get() : nullptr;
  impl->ws.limits = impl->config.ws_limits;
  impl->ws.inbound =
      InboundLimit(impl->ws.limits.max_waiting_frames, impl->ws.limits.max_waiting_bytes);
  impl->ws.write_list_started = [io = &impl->io] { io->want_turns(); };
  impl->ws.dropped_slow = &metrics.counter("boai_ws_slow_clients_dropped_total",
                                           "viewers closed for reading too slowly");
  impl->ws.refused =
      &metrics.counter("boai_ws_upgrades_refused_total",
                       "WebSocket upgrades refused (path, Origin, per-address limit)");
  // rx_buffer_size bounds one read; frames above max_frame_bytes are refused as they arrive.
  impl->protocols[1] = {"boai.v1", &ws_callback, sizeof(void*), 4096, 0, &impl->ws, 0};
  auto* cached = const_cast<std::vector<CachedMount>*>(impl->mounts.cached());
  impl->protocols[2] = {kFileCacheProtocol, &file_cache_callback, 0, 0, 0, cached, 0};

  if (auto made = impl->create_context(); !made) {
    return std::unexpected(made.error());
  }
  impl->vhost = lws_get_vhost_by_name(impl->context, "boai");
  impl->port = lws_get_vhost_listen_port(impl->vhost);
  // From here on only the I/O thread touches libwebsockets.
  Impl* io_side = impl.get();
  impl->io.start([io_side] { io_side->on_io_messages(); },
                 [io_side] { check_all_alive(io_side->connections, io_side->ws.limits); },
                 [io_side] {
                   lws_context_destroy(io_side->context);
                   io_side->context = nullptr;
                 },
                 [io_side] { return io_side->write_some_queued(); });
  return std::unique_ptr<LiveService>(new LiveService(std::move(impl)));
}

}  // namespace boai::web
