// Internal to web/: the mounts libwebsockets serves, as the C structures it points into for the
// context's whole life: the pages at "/" (and a built tree's folders of hashed names, each its own
// mount), extra file trees (HLS, recordings, proofs), and one callback mount per HTTP route, with
// the media types lws does not know by itself.
#pragma once

#include <libwebsockets.h>

#include <deque>
#include <string>
#include <vector>

#include "web/file_cache.hpp"
#include "web/http_types.hpp"
#include "web/live_service.hpp"

namespace boai::web {

// The protocol every file mount names: its callback adds the file's Cache-Control to HTTP/1.1
// answers (what nginx and CDNs speak to an origin). Its user pointer is HttpMounts::cached().
inline constexpr const char* kFileCacheProtocol = "boai-files";
int file_cache_callback(lws* wsi, lws_callback_reasons reason, void* user, void* in, size_t len);

class HttpMounts {
 public:
  HttpMounts() = default;
  HttpMounts(const HttpMounts&) = delete;  // lws keeps pointers into it
  HttpMounts& operator=(const HttpMounts&) = delete;

  // The chain's first mount; valid while this object lives.
  const lws_http_mount* build(const std::string& static_dir, const std::vector<FileMount>& files,
                              const std::vector<HttpRoute>& routes, const char* route_protocol);
  // The file mounts by prefix, for file_cache_callback; filled by build().
  const std::vector<CachedMount>* cached() const { return &cached_; }
  // The headers lws adds to every answer of the vhost; valid while this object lives.
  const lws_protocol_vhost_options* headers(
      const std::vector<std::pair<std::string, std::string>>& headers);

 private:
  void add(const std::string& prefix, const std::string& origin, lws_mount_protocols kind,
           FileCaching caching = FileCaching::pages);
  const lws_protocol_vhost_options* media_types();
  const char* keep(std::string s) { return strings_.emplace_back(std::move(s)).c_str(); }

  // Deques: what lws points into must not move.
  std::deque<std::string> strings_;
  std::deque<lws_http_mount> mounts_;
  std::deque<lws_protocol_vhost_options> media_types_;
  std::deque<lws_protocol_vhost_options> headers_;
  std::vector<CachedMount> cached_;
};

}  // namespace boai::web
