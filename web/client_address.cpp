// client_address: the client behind trusted proxies, from X-Forwarded-For or X-Real-IP.
#include "web/client_address.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <optional>

namespace boai::web {

namespace {

struct ParsedAddress {
  std::array<std::uint8_t, 16> bytes{};
  bool v6 = false;
};

std::optional<ParsedAddress> parse_address(std::string_view text) {
  std::string s(text);
  ParsedAddress a;
  if (inet_pton(AF_INET, s.c_str(), a.bytes.data()) == 1) {
    return a;
  }
  if (inet_pton(AF_INET6, s.c_str(), a.bytes.data()) == 1) {
    a.v6 = true;
    return a;
  }
  return std::nullopt;
}

std::string address_text(const ParsedAddress& a) {
  char text[INET6_ADDRSTRLEN] = {0};
  inet_ntop(a.v6 ? AF_INET6 : AF_INET, a.bytes.data(), text, sizeof text);
  return text;
}

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

TrustedProxies& the_proxies() {
  static TrustedProxies proxies;
  return proxies;
}

}  // namespace

std::expected<TrustedProxies, Error> TrustedProxies::parse(const std::vector<std::string>& cidrs) {
  TrustedProxies proxies;
  for (const auto& cidr : cidrs) {
    auto slash = cidr.find('/');
    auto address = parse_address(std::string_view(cidr).substr(0, slash));
    int max_bits = address && address->v6 ? 128 : 32;
    int bits = max_bits;
    if (address && slash != std::string::npos) {
      const char* first = cidr.data() + slash + 1;
      const char* last = cidr.data() + cidr.size();
      auto [end, ec] = std::from_chars(first, last, bits);
      if (ec != std::errc() || end != last || first == last || bits < 0 || bits > max_bits) {
        address.reset();
      }
    }
    if (!address) {
      return std::unexpected(make_error("trusted_proxies_invalid",
                                        "--trusted-proxies wants addresses or CIDRs such as "
                                        "10.0.0.0/8, got \"" +
                                            cidr + "\""));
    }
    proxies.nets_.push_back({address->bytes, bits, address->v6});
  }
  return proxies;
}

bool TrustedProxies::contains(std::string_view address) const {
  auto a = parse_address(address);
  if (!a) {
    return false;
  }
  for (const auto& net : nets_) {
    if (net.v6 != a->v6) {
      continue;
    }
    int whole = net.bits / 8;
    int rest = net.bits % 8;
    bool same = std::equal(net.bytes.begin(), net.bytes.begin() + whole, a->bytes.begin());
    if (same && rest > 0) {
      auto mask = static_cast<std::uint8_t>(0xFF << (8 - rest));
      same = (net.bytes[whole] & mask) == (a->bytes[whole] & mask);
    }
    if (same) {
      return true;
    }
  }
  return false;
}

std::string TrustedProxies::client(const std::string& peer, std::string_view forwarded_for,
                                   std::string_view real_ip) const {
  if (!contains(peer)) {
    return peer;  // anyone may write these headers: only a proxy we run is believed
  }
  // Right to left: each hop appends what it saw; the first hop we do not run is the client.
  // Anything left of it was written by the client and proves nothing.
  std::string seen = peer;
  bool forwarded = false;
  while (!trimmed(forwarded_for).empty()) {
    forwarded = true;
    auto comma = forwarded_for.rfind(',');
    auto item =
        trimmed(comma == std::string_view::npos ? forwarded_for : forwarded_for.substr(comma + 1));
    forwarded_for = comma == std::string_view::npos ? "" : forwarded_for.substr(0, comma);
    auto address = parse_address(item);
    if (!address) {
      return seen;  // garbage: the last hop we trust is all we know
    }
    seen = address_text(*address);
    if (!contains(seen)) {
      return seen;
    }
  }
  if (!forwarded) {
    if (auto address = parse_address(trimmed(real_ip))) {
      return address_text(*address);
    }
  }
  return seen;
}

void set_trusted_proxies(TrustedProxies proxies) {
  the_proxies() = std::move(proxies);
}

const TrustedProxies& trusted_proxies() {
  return the_proxies();
}

}  // namespace boai::web
