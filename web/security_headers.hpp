// The headers every answer carries, pages, files and API alike: a Content-Security-Policy the
// pages pass (scripts and styles from this site only, never inline; no framing by other sites),
// no type sniffing, a referrer that leaves the site as its origin only (WeChat Pay's H5 checks
// it), and under TLS, HSTS.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace boai::web {

// Lower-case names, as lws writes them.
std::vector<std::pair<std::string, std::string>> security_headers(bool tls);

}  // namespace boai::web
