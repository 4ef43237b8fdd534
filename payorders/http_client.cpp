// libcurl's easy interface, one handle per call: calls are few (an order, a query, a close) and
// each on a worker thread, so a handle pool would buy nothing.
#include "payorders/http_client.hpp"

#include <curl/curl.h>

#include <cctype>
#include <mutex>

#include "base/c_handle.hpp"

namespace boai::payorders {

namespace {

using Easy = CHandle<CURL, curl_easy_cleanup>;
using Slist = CHandle<curl_slist, curl_slist_free_all>;

constexpr std::size_t kMaxReply = 1 << 20;  // a provider's answer is a few hundred bytes

void global_init_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Sink {
  HttpReply reply;
  bool too_large = false;
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* sink = static_cast<Sink*>(user);
  std::size_t n = size * count;
  if (sink->reply.body.size() + n > kMaxReply) {
    sink->too_large = true;
    return 0;  // curl stops the transfer
  }
  sink->reply.body.append(data, n);
  return n;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* sink = static_cast<Sink*>(user);
  std::string_view line(data, size * count);
  auto colon = line.find(':');
  if (colon != std::string_view::npos) {
    std::string name;
    for (char c : line.substr(0, colon)) {
      name += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    auto value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) {
      value.remove_prefix(1);
    }
    while (!value.empty() &&
           (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) {
      value.remove_suffix(1);
    }
    sink->reply.headers.emplace_back(std::move(name), std::string(value));
  }
  return size * count;
}

}  // namespace

std::string HttpReply::header(const std::string& lower_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lower_name) {
      return value;
    }
  }
  return {};
}

std::expected<HttpReply, Error> http_call(const HttpCall& call) {
  global_init_once();
  Easy easy(curl_easy_init());
  if (!easy) {
    return std::unexpected(make_error("provider_unreachable", "curl could not start"));
  }
  Slist headers;
  for (const auto& [name, value] : call.headers) {
    headers.reset(curl_slist_append(headers.release(), (name + ": " + value).c_str()));
  }
  Sink sink;
  CURL* c = easy.get();
  curl_easy_setopt(c, CURLOPT_URL, call.url.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // worker threads: no SIGALRM for timeouts
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(call.timeout.count()));
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &sink);
  if (call.method == "POST") {
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, call.body.c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(call.body.size()));
  }
  CURLcode rc = curl_easy_perform(c);
  if (sink.too_large) {
    return std::unexpected(make_error("reply_too_large", "the provider's answer is too large"));
  }
  if (rc != CURLE_OK) {
    return std::unexpected(
        make_error("provider_unreachable", call.url + ": " + std::string(curl_easy_strerror(rc))));
  }
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &sink.reply.status);
  return std::move(sink.reply);
}

std::string url_escape(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char ch : text) {
    if (std::isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == '~') {
      out += static_cast<char>(ch);
    } else {
      out += '%';
      out += kHex[ch >> 4];
      out += kHex[ch & 15];
    }
  }
  return out;
}

}  // namespace boai::payorders
