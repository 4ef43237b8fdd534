// Checks of push URLs: scheme, host, application and key; the key never reaches messages.
#include "stream/push_url.hpp"

#include <charconv>

#include "stream/source_spec.hpp"

namespace boai::stream {
namespace {

std::string hide_key(std::string_view url) {
  auto scheme = url.find("://");
  if (scheme == std::string_view::npos) {
    return quote_for_message(url.substr(0, 24));
  }
  // The key follows the last slash, or the one before a slash that ends the URL.
  auto last = url.rfind('/', url.size() > 1 ? url.size() - 2 : 0);
  if (last == std::string_view::npos || last <= scheme + 2) {
    return quote_for_message(url);
  }
  return quote_for_message(std::string(url.substr(0, last + 1)) + "****");
}

std::unexpected<Error> invalid_push_url(std::string_view url, std::string_view why) {
  return std::unexpected(
      make_error("push_url_invalid",
                 "Push target " + hide_key(url) + " is not valid: " + std::string(why) + "."));
}

}  // namespace

std::expected<PushUrl, Error> parse_push_url(std::string_view url) {
  if (url.size() > 2048) {
    return invalid_push_url(url, "it is too long");
  }
  std::string_view rest;
  if (url.starts_with("rtmp://")) {
    rest = url.substr(7);
  } else if (url.starts_with("rtmps://")) {
    rest = url.substr(8);
  } else {
    return invalid_push_url(url, "it must start with rtmp:// or rtmps://");
  }
  for (unsigned char c : url) {
    if (c <= 0x20 || c == 0x7f) {
      return invalid_push_url(url, "it has spaces or control characters");
    }
  }
  auto slash = rest.find('/');
  if (slash == std::string_view::npos || slash == 0) {
    return invalid_push_url(url, "it has no host");
  }
  std::string_view authority = rest.substr(0, slash);
  std::string_view host = authority;
  if (auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    std::string_view port = authority.substr(colon + 1);
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (port.empty() || ec != std::errc() || end != port.data() + port.size() || value == 0 ||
        value > 65535) {
      return invalid_push_url(url, "the port must be a number from 1 to 65535");
    }
  }
  if (host.empty()) {
    return invalid_push_url(url, "it has no host");
  }
  for (char c : host) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-';
    if (!ok) {
      return invalid_push_url(url, "the host has characters that cannot be in one");
    }
  }
  std::string_view path = rest.substr(slash + 1);
  auto app_end = path.find('/');
  if (app_end == std::string_view::npos || app_end == 0 || app_end + 1 >= path.size()) {
    return invalid_push_url(url, "it needs an application and a stream key (rtmp://host/app/key)");
  }
  if (url.back() == '/') {  // the key is what follows the last slash: shown otherwise
    return invalid_push_url(url, "it needs a stream key after the last /");
  }
  return PushUrl{std::string(url), hide_key(url)};
}

}  // namespace boai::stream
