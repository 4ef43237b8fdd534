// Internal to web/: one HTTP request on a libwebsockets connection and the response being written
// back in SERVER_WRITEABLE, a chunk at a time.
#pragma once

#include <libwebsockets.h>

#include <optional>
#include <string>
#include <vector>

#include "web/http_types.hpp"

namespace boai::web {

class HttpExchange {
 public:
  // Reads the request line, the cookie, and the extra headers named (lower case).
  HttpExchange(lws* wsi, const std::vector<std::string>& extra_headers);
  ~HttpExchange();
  HttpExchange(const HttpExchange&) = delete;
  HttpExchange& operator=(const HttpExchange&) = delete;

  HttpRequest& request() { return request_; }
  bool body_too_large() const { return body_too_large_; }
  void append_body(const char* data, std::size_t len, std::size_t limit);

  // Sets the response (the first one wins) and asks for SERVER_WRITEABLE to write it.
  void respond(HttpResponse response);
  // Writes what it can; returns false when the connection must close, sets done when finished.
  bool write_some(bool& done);

 private:
  std::uint64_t body_length() const;
  // The next chunk of the body into `out` (after LWS_PRE); false when a download's file fails.
  bool next_chunk(std::vector<unsigned char>& out, std::size_t n);

  lws* wsi_;
  HttpRequest request_;
  bool body_too_large_ = false;
  std::optional<HttpResponse> response_;
  bool headers_sent_ = false;
  std::uint64_t body_sent_ = 0;
  int file_ = -1;  // a download's file, opened at its first chunk
};

}  // namespace boai::web
