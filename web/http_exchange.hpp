// Internal to web/: one HTTP request on a libwebsockets connection and the response being written
// back in SERVER_WRITEABLE, a chunk at a time.
#pragma once

#include <libwebsockets.h>

#include <memory>
#include <optional>
#include <string>

#include "web/http_types.hpp"

namespace boai::web {

class HttpExchange {
 public:
  explicit HttpExchange(lws* wsi);
  ~HttpExchange() { *alive_ = false; }

  HttpRequest& request() { return request_; }
  bool body_too_large() const { return body_too_large_; }
  void append_body(const char* data, std::size_t len, std::size_t limit);

  // A responder that is safe to call after the connection went away: it then does nothing.
  HttpResponder responder();
  // Writes what it can; returns false when the connection must close, sets done when finished.
  bool write_some(bool& done);

 private:
  lws* wsi_;
  HttpRequest request_;
  bool body_too_large_ = false;
  std::optional<HttpResponse> response_;
  bool headers_sent_ = false;
  std::size_t body_sent_ = 0;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace boai::web
