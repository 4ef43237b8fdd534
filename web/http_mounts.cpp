// HttpMounts: the lws mount chain and its media types, built once before the context starts.
#include "web/http_mounts.hpp"

namespace boai::web {

const lws_http_mount* HttpMounts::build(const std::string& static_dir,
                                        const std::vector<FileMount>& files,
                                        const std::vector<HttpRoute>& routes,
                                        const char* route_protocol) {
  add("/", static_dir, LWSMPRO_FILE);
  for (const auto& f : files) {
    add(f.prefix, f.dir, LWSMPRO_FILE);
  }
  for (const auto& r : routes) {
    add(r.prefix, route_protocol, LWSMPRO_CALLBACK);
  }
  for (std::size_t i = 0; i + 1 < mounts_.size(); ++i) {
    mounts_[i].mount_next = &mounts_[i + 1];
  }
  return &mounts_.front();
}

void HttpMounts::add(const std::string& prefix, const std::string& origin,
                     lws_mount_protocols kind) {
  lws_http_mount m{};
  m.mountpoint = keep(prefix);
  m.mountpoint_len = static_cast<unsigned char>(prefix.size());
  m.origin = keep(origin);
  m.origin_protocol = static_cast<unsigned char>(kind);
  if (kind == LWSMPRO_FILE) {
    m.def = "index.html";
    m.extra_mimetypes = media_types();
  }
  mounts_.push_back(m);
}

const lws_protocol_vhost_options* HttpMounts::headers(
    const std::vector<std::pair<std::string, std::string>>& headers) {
  for (const auto& [name, value] : headers) {
    lws_protocol_vhost_options o{};
    o.name = keep(name + ":");  // lws writes the name as given
    o.value = keep(value);
    headers_.push_back(o);
  }
  for (std::size_t i = 0; i + 1 < headers_.size(); ++i) {
    headers_[i].next = &headers_[i + 1];
  }
  return headers_.empty() ? nullptr : &headers_.front();
}

// Types lws does not know by itself: HLS, recordings, modern page assets.
const lws_protocol_vhost_options* HttpMounts::media_types() {
  if (!media_types_.empty()) {
    return &media_types_.front();
  }
  static const char* kTypes[][2] = {{".m3u8", "application/vnd.apple.mpegurl"},
                                    {".ts", "video/mp2t"},
                                    {".m4s", "video/iso.segment"},
                                    {".mp4", "video/mp4"},
                                    {".mkv", "video/x-matroska"},
                                    {".webm", "video/webm"},
                                    {".mjs", "text/javascript"},
                                    {".json", "application/json"},
                                    {".svg", "image/svg+xml"},
                                    {".webp", "image/webp"},
                                    {".woff2", "font/woff2"}};
  for (const auto& t : kTypes) {
    lws_protocol_vhost_options o{};
    o.name = t[0];
    o.value = t[1];
    media_types_.push_back(o);
  }
  for (std::size_t i = 0; i + 1 < media_types_.size(); ++i) {
    media_types_[i].next = &media_types_[i + 1];
  }
  return &media_types_.front();
}

}  // namespace boai::web
