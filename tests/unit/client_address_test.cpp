// Issue #14: behind trusted proxies the client's address comes from X-Forwarded-For or
// X-Real-IP; from anyone else those headers are ignored.
#include "web/client_address.hpp"

#include <catch2/catch.hpp>

using boai::web::TrustedProxies;

TEST_CASE("trusted proxies are addresses or CIDRs and anything else is refused") {
  auto ok = TrustedProxies::parse({"10.0.0.0/8", "127.0.0.1", "fd00::/8", "192.168.1.0/24"});
  REQUIRE(ok);
  CHECK(ok->contains("10.200.3.4"));
  CHECK(ok->contains("127.0.0.1"));
  CHECK_FALSE(ok->contains("127.0.0.2"));
  CHECK(ok->contains("fd12::1"));
  CHECK(ok->contains("192.168.1.77"));
  CHECK_FALSE(ok->contains("192.168.2.1"));
  CHECK_FALSE(ok->contains("not an address"));
  for (const char* bad :
       {"10.0.0.0/33", "10.0.0/8", "proxy.example.org", "10.0.0.0/", "::/129", "10.0.0.0/8x", ""}) {
    INFO(bad);
    auto refused = TrustedProxies::parse({bad});
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == "trusted_proxies_invalid");
  }
  CHECK(TrustedProxies::parse({})->empty());
}

TEST_CASE("the client is the rightmost forwarded address that is not a trusted proxy") {
  auto proxies = *TrustedProxies::parse({"127.0.0.1", "10.0.0.0/8"});
  CHECK(proxies.client("127.0.0.1", "203.0.113.9", "") == "203.0.113.9");
  CHECK(proxies.client("127.0.0.1", "1.2.3.4, 203.0.113.9, 10.1.1.1", "") == "203.0.113.9");
  CHECK(proxies.client("127.0.0.1", " 2001:db8::1 ", "") == "2001:db8::1");
  CHECK(proxies.client("127.0.0.1", "", "198.51.100.7") == "198.51.100.7");
  CHECK(proxies.client("127.0.0.1", "", "") == "127.0.0.1");
  // Only proxies: the leftmost one we know of.
  CHECK(proxies.client("127.0.0.1", "10.9.9.9, 10.1.1.1", "") == "10.9.9.9");
  // Garbage stops the walk at the last hop we trust.
  CHECK(proxies.client("127.0.0.1", "evil, 10.1.1.1", "") == "10.1.1.1");
  CHECK(proxies.client("127.0.0.1", "unknown", "198.51.100.7") == "127.0.0.1");
}

TEST_CASE("an untrusted peer is its own address whatever it says") {
  auto proxies = *TrustedProxies::parse({"127.0.0.1"});
  CHECK(proxies.client("127.0.0.5", "203.0.113.9", "198.51.100.7") == "127.0.0.5");
  TrustedProxies none;
  CHECK(none.client("127.0.0.1", "203.0.113.9", "") == "127.0.0.1");
}
