// HttpExchange: reading the request line and headers lws parsed, and writing the response.
#include "web/http_exchange.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <vector>

#include "web/lws_headers.hpp"

namespace boai::web {

namespace {

constexpr std::size_t kChunk = 16 * 1024;

std::string query_string(lws* wsi) {
  std::string query;
  char buf[1024];
  for (int i = 0; lws_hdr_copy_fragment(wsi, buf, sizeof buf, WSI_TOKEN_HTTP_URI_ARGS, i) > 0;
       ++i) {
    if (!query.empty()) {
      query += '&';
    }
    query += buf;
  }
  return query;
}

}  // namespace

HttpExchange::HttpExchange(lws* wsi, const std::vector<std::string>& extra_headers) : wsi_(wsi) {
  struct Method {
    lws_token_indexes token;
    const char* name;
  };
  static const Method kMethods[] = {
      {WSI_TOKEN_GET_URI, "GET"},   {WSI_TOKEN_POST_URI, "POST"},
      {WSI_TOKEN_PUT_URI, "PUT"},   {WSI_TOKEN_DELETE_URI, "DELETE"},
      {WSI_TOKEN_HEAD_URI, "HEAD"}, {WSI_TOKEN_OPTIONS_URI, "OPTIONS"}};
  for (const auto& m : kMethods) {
    if (lws_hdr_total_length(wsi, m.token) > 0) {
      request_.method = m.name;
      request_.path = lws_header(wsi, m.token);
      break;
    }
  }
  if (request_.method.empty()) {  // HTTP/2 carries the method and path as pseudo-headers
    request_.method = lws_header(wsi, WSI_TOKEN_HTTP_COLON_METHOD);
    request_.path = lws_header(wsi, WSI_TOKEN_HTTP_COLON_PATH);
    if (auto q = request_.path.find('?'); q != std::string::npos) {
      request_.path.resize(q);
    }
  }
  request_.query = query_string(wsi);
  request_.cookie = lws_header(wsi, WSI_TOKEN_HTTP_COOKIE);
  request_.peer = lws_peer(wsi);
  // A header lws knows by name is parsed into its token, never found as a custom one.
  struct Known {
    lws_token_indexes token;
    const char* name;
  };
  static const Known kKnown[] = {{WSI_TOKEN_HTTP_IF_NONE_MATCH, "if-none-match"},
                                 {WSI_TOKEN_ORIGIN, "origin"},
                                 {WSI_TOKEN_HOST, "host"},
                                 {WSI_TOKEN_HTTP_COLON_AUTHORITY, "host"},  // HTTP/2's Host
                                 {WSI_TOKEN_HTTP_CONTENT_TYPE, "content-type"},
                                 {WSI_TOKEN_HTTP_AUTHORIZATION, "authorization"},
                                 {WSI_TOKEN_HTTP_RANGE, "range"}};
  for (const auto& k : kKnown) {
    if (auto value = lws_header(wsi, k.token); !value.empty() && request_.header(k.name).empty()) {
      request_.headers.emplace_back(k.name, std::move(value));
    }
  }
  if (auto site = lws_custom_header(wsi, "sec-fetch-site"); !site.empty()) {
    request_.headers.emplace_back("sec-fetch-site", std::move(site));
  }
  for (const auto& name : extra_headers) {
    if (auto value = lws_custom_header(wsi, name); !value.empty()) {
      request_.headers.emplace_back(name, std::move(value));
    }
  }
}

HttpExchange::~HttpExchange() {
  if (file_ >= 0) {
    ::close(file_);
  }
}

void HttpExchange::append_body(const char* data, std::size_t len, std::size_t limit) {
  if (body_too_large_) {
    return;
  }
  if (request_.body.size() + len > limit) {
    body_too_large_ = true;
    request_.body.clear();
    return;
  }
  request_.body.append(data, len);
}

void HttpExchange::respond(HttpResponse response) {
  if (response_) {
    return;
  }
  // An answer to a signed-in member may hold what only staff see: no cache keeps it, unless the
  // route said otherwise (the public, cacheable books).
  bool said = std::any_of(response.headers.begin(), response.headers.end(), [](const auto& h) {
    return h.first == "Cache-Control" || h.first == "cache-control";
  });
  if (!said && request_.cookie.find("boai_session=") != std::string::npos) {
    response.headers.emplace_back("Cache-Control", "no-store");
  }
  response_ = std::move(response);
  lws_callback_on_writable(wsi_);
}

bool HttpExchange::write_some(bool& done) {
  done = false;
  if (!response_) {
    return true;
  }
  if (!headers_sent_) {
    std::vector<unsigned char> buf(LWS_PRE + 4096);
    unsigned char* start = buf.data() + LWS_PRE;
    unsigned char* p = start;
    unsigned char* end = buf.data() + buf.size() - 1;
    if (lws_add_http_common_headers(wsi_, static_cast<unsigned>(response_->status),
                                    response_->content_type.c_str(), body_length(), &p, end) != 0) {
      return false;
    }
    for (const auto& [name, value] : response_->headers) {
      std::string key = name + ":";
      std::transform(key.begin(), key.end(), key.begin(),
                     [](unsigned char c) { return std::tolower(c); });
      if (lws_add_http_header_by_name(wsi_, reinterpret_cast<const unsigned char*>(key.c_str()),
                                      reinterpret_cast<const unsigned char*>(value.data()),
                                      static_cast<int>(value.size()), &p, end) != 0) {
        return false;
      }
    }
    if (lws_finalize_write_http_header(wsi_, start, &p, end) != 0) {
      return false;
    }
    headers_sent_ = true;
    if (body_length() > 0) {
      lws_callback_on_writable(wsi_);
      return true;
    }
  }
  auto n = static_cast<std::size_t>(std::min<std::uint64_t>(kChunk, body_length() - body_sent_));
  bool last = body_sent_ + n == body_length();
  std::vector<unsigned char> buf(LWS_PRE + n);
  if (!next_chunk(buf, n) ||
      lws_write(wsi_, buf.data() + LWS_PRE, n, last ? LWS_WRITE_HTTP_FINAL : LWS_WRITE_HTTP) <
          static_cast<int>(n)) {
    return false;
  }
  body_sent_ += n;
  if (last) {
    done = true;
  } else {
    lws_callback_on_writable(wsi_);
  }
  return true;
}

std::uint64_t HttpExchange::body_length() const {
  return response_->file.empty() ? response_->body.size() : response_->file_length;
}

bool HttpExchange::next_chunk(std::vector<unsigned char>& out, std::size_t n) {
  if (response_->file.empty()) {
    std::copy_n(response_->body.data() + body_sent_, n, out.data() + LWS_PRE);
    return true;
  }
  // A page-cached read of 16 KiB, as lws's own file mounts do on this thread.
  if (file_ < 0) {
    file_ = ::open(response_->file.c_str(), O_RDONLY | O_CLOEXEC);
  }
  auto at = static_cast<off_t>(response_->file_offset + body_sent_);
  return file_ >= 0 && ::pread(file_, out.data() + LWS_PRE, n, at) == static_cast<ssize_t>(n);
}

}  // namespace boai::web
