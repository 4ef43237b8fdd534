// Internal to web/: reading request headers and the client's address from libwebsockets.
#pragma once

#include <libwebsockets.h>

#include <string>

#include "web/client_address.hpp"

namespace boai::web {

// A header's whole value (all fragments), or "" when absent.
inline std::string lws_header(lws* wsi, lws_token_indexes token) {
  int len = lws_hdr_total_length(wsi, token);
  if (len <= 0) {
    return {};
  }
  std::string value(static_cast<std::size_t>(len) + 1, '\0');
  int got = lws_hdr_copy(wsi, value.data(), len + 1, token);
  value.resize(got > 0 ? static_cast<std::size_t>(got) : 0);
  return value;
}

// A header lws has no token for, by lower-case name without the colon; "" when absent. HTTP/1
// keeps the name with its colon, HTTP/2 without.
inline std::string lws_custom_header(lws* wsi, const std::string& name) {
  for (const std::string& key : {name + ":", name}) {
    int n = static_cast<int>(key.size());
    int len = lws_hdr_custom_length(wsi, key.c_str(), n);
    if (len < 0) {
      continue;
    }
    std::string value(static_cast<std::size_t>(len) + 1, '\0');
    int got = lws_hdr_custom_copy(wsi, value.data(), len + 1, key.c_str(), n);
    value.resize(got > 0 ? static_cast<std::size_t>(got) : 0);
    return value;
  }
  return {};
}

// The client's address: the socket's peer or, from a trusted proxy, the one it forwards.
inline std::string lws_peer(lws* wsi) {
  char peer[64] = {0};
  lws_get_peer_simple(wsi, peer, sizeof peer);
  const auto& proxies = trusted_proxies();
  if (proxies.empty()) {
    return peer;
  }
  return proxies.client(peer, lws_header(wsi, WSI_TOKEN_X_FORWARDED_FOR),
                        lws_custom_header(wsi, "x-real-ip"));
}

}  // namespace boai::web
