// HttpMounts: the lws mount chain, its media types and the files' Cache-Control, built once
// before the context starts.
#include "web/http_mounts.hpp"

#include "assets/static_build.hpp"

namespace boai::web {

const lws_http_mount* HttpMounts::build(const std::string& static_dir,
                                        const std::vector<FileMount>& files,
                                        const std::vector<HttpRoute>& routes,
                                        const char* route_protocol) {
  add("/", static_dir, LWSMPRO_FILE);
  // A built tree's js/, css/, vendor/: lws' own policy (HTTP/2, 304s) may say a year there too.
  for (const auto& folder : assets::hashed_folders(static_dir)) {
    add("/" + folder, static_dir + "/" + folder, LWSMPRO_FILE, FileCaching::assets);
  }
  for (const auto& f : files) {
    add(f.prefix, f.dir, LWSMPRO_FILE, f.caching);
  }
  for (const auto& r : routes) {
    add(r.prefix, route_protocol, LWSMPRO_CALLBACK);
  }
  for (std::size_t i = 0; i + 1 < mounts_.size(); ++i) {
    mounts_[i].mount_next = &mounts_[i + 1];
  }
  return &mounts_.front();
}

void HttpMounts::add(const std::string& prefix, const std::string& origin, lws_mount_protocols kind,
                     FileCaching caching) {
  lws_http_mount m{};
  m.mountpoint = keep(prefix);
  m.mountpoint_len = static_cast<unsigned char>(prefix.size());
  m.origin = keep(origin);
  m.origin_protocol = static_cast<unsigned char>(kind);
  if (kind == LWSMPRO_FILE) {
    m.def = "index.html";
    m.extra_mimetypes = media_types();
    m.protocol = kFileCacheProtocol;
    MountCache own = mount_cache(caching);
    m.cache_max_age = static_cast<int>(own.max_age);
    m.cache_reusable = own.max_age > 0 ? 1 : 0;
    m.cache_revalidate = own.revalidate ? 1 : 0;
    m.cache_intermediaries = 1;  // "public": nginx and CDNs may keep it
    cached_.push_back({prefix, caching});
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

int file_cache_callback(lws* wsi, lws_callback_reasons reason, void* user, void* in, size_t len) {
  if (reason == LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION) {
    return -1;  // as the route protocol: a WebSocket needs boai.v1
  }
  if (reason != LWS_CALLBACK_ADD_HEADERS) {
    return lws_callback_http_dummy(wsi, reason, user, in, len);
  }
  // HTTP/2: lws cannot see a header added here and would send its own too; the mount's policy
  // stands alone there.
  if (lws_get_network_wsi(wsi) != wsi) {
    return 0;
  }
  char uri[512];
  int n = lws_hdr_copy(wsi, uri, sizeof uri, WSI_TOKEN_GET_URI);
  if (n <= 0) {
    n = lws_hdr_copy(wsi, uri, sizeof uri, WSI_TOKEN_HEAD_URI);
  }
  if (n <= 0) {
    return 0;
  }
  const auto* mounts = static_cast<const std::vector<CachedMount>*>(lws_get_protocol(wsi)->user);
  std::string_view path(uri, static_cast<std::size_t>(n));
  std::string_view value = file_cache_control(caching_for(*mounts, path), path);
  if (value.empty()) {
    return 0;
  }
  auto* args = static_cast<lws_process_html_args*>(in);
  auto* p = reinterpret_cast<unsigned char*>(args->p);
  auto* end = p + args->max_len;
  if (lws_add_http_header_by_name(wsi, reinterpret_cast<const unsigned char*>("cache-control:"),
                                  reinterpret_cast<const unsigned char*>(value.data()),
                                  static_cast<int>(value.size()), &p, end) != 0) {
    return -1;
  }
  args->p = reinterpret_cast<char*>(p);
  return 0;
}

}  // namespace boai::web
