// The live service: libwebsockets on the GLib main loop, serving static pages, HTTP routes
// (health, metrics, API), and later the WebSocket endpoint.
#pragma once

#include <expected>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "web/client_address.hpp"
#include "web/file_cache.hpp"
#include "web/http_types.hpp"
#include "web/metrics.hpp"
#include "web/ws_endpoint.hpp"

typedef struct _GMainLoop GMainLoop;

namespace boai::web {

struct FileMount {
  std::string prefix;                        // "/hls"
  std::string dir;                           // where the files are on disk
  FileCaching caching = FileCaching::pages;  // the Cache-Control its files get
};

struct LiveServiceConfig {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0 picks a free port; port() tells which
  std::string static_dir;
  std::vector<FileMount> file_mounts;
  std::size_t max_body_bytes = 64 * 1024;
  WsEndpoint* ws_endpoint = nullptr;  // the boai.v1 endpoint at /ws; none: no WebSocket
  WsLimits ws_limits;
  std::string tls_cert, tls_key;  // both set: HTTPS and WSS (HTTP/2 for pages)
  // Request headers beyond Cookie that routes read (lower case, e.g. "wechatpay-serial"): lws
  // keeps unknown headers by name, and a route finds them in HttpRequest::headers.
  std::vector<std::string> request_headers;
  // Proxies whose X-Forwarded-For / X-Real-IP name the client (limits, bans, throttles).
  TrustedProxies trusted_proxies;
};

class LiveService {
 public:
  // Errors: port_in_use, listen_failed, static_dir_missing.
  static std::expected<std::unique_ptr<LiveService>, Error> start(GMainLoop* loop,
                                                                  LiveServiceConfig config,
                                                                  std::vector<HttpRoute> routes,
                                                                  Metrics& metrics);
  ~LiveService();
  LiveService(const LiveService&) = delete;
  LiveService& operator=(const LiveService&) = delete;

  int port() const;

  struct Impl;

 private:
  explicit LiveService(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace boai::web
