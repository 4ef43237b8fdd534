// Internal to web/: reading request headers and the peer address from libwebsockets.
#pragma once

#include <libwebsockets.h>

#include <string>

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

inline std::string lws_peer(lws* wsi) {
  char peer[64] = {0};
  lws_get_peer_simple(wsi, peer, sizeof peer);
  return peer;
}

}  // namespace boai::web
