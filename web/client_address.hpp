// Behind nginx or a load balancer every peer is the proxy, so limits and bans would hit everyone
// at once. From a trusted proxy (--trusted-proxies) the client's address is the rightmost one of
// X-Forwarded-For that is not itself a trusted proxy, else X-Real-IP; from anyone else, the peer.
#pragma once

#include <array>
#include <cstdint>
#include <expected>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.hpp"

namespace boai::web {

class TrustedProxies {
 public:
  // CIDRs ("10.0.0.0/8", "127.0.0.1", "fd00::/8"). Error: trusted_proxies_invalid.
  static std::expected<TrustedProxies, Error> parse(const std::vector<std::string>& cidrs);

  bool empty() const { return nets_.empty(); }
  bool contains(std::string_view address) const;
  // The client's address, in its usual text form, for a request from peer.
  std::string client(const std::string& peer, std::string_view forwarded_for,
                     std::string_view real_ip) const;

 private:
  struct Net {
    std::array<std::uint8_t, 16> bytes{};
    int bits = 0;
    bool v6 = false;
  };
  std::vector<Net> nets_;
};

// The process' one list, set before the service starts and only read afterwards (both threads).
void set_trusted_proxies(TrustedProxies proxies);
const TrustedProxies& trusted_proxies();

}  // namespace boai::web
