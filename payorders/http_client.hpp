// Outbound HTTP(S) to the payment providers, on libcurl: one blocking call at a time, for the
// pay workers' threads only (never the loop), with a connect and a total timeout.
#pragma once

#include <chrono>
#include <expected>
#include <string>
#include <utility>
#include <vector>

#include "base/error.hpp"

namespace boai::payorders {

struct HttpCall {
  std::string method;  // GET or POST
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::chrono::milliseconds timeout{10000};
};

struct HttpReply {
  long status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names in lower case
  std::string body;

  std::string header(const std::string& lower_name) const;
};

// Errors: provider_unreachable (no connection, TLS failure, timeout), reply_too_large.
std::expected<HttpReply, Error> http_call(const HttpCall& call);

// Percent-encodes a query or form value (RFC 3986 unreserved characters kept).
std::string url_escape(std::string_view text);

}  // namespace boai::payorders
