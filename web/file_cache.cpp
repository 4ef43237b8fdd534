// file_cache: Cache-Control by file kind, added by the file mounts' protocol callback.
#include "web/file_cache.hpp"

#include "assets/hashed_name.hpp"

namespace boai::web {

namespace {

constexpr std::string_view kPlaylist = "public, max-age=1";  // about half a 1-2 s segment
constexpr std::string_view kLiveMaster = "public, max-age=10";
constexpr std::string_view kRecordingMaster = "public, max-age=60";
// A live segment's name comes back when the studio restarts (segment00000.ts): a minute, not
// longer, though it never changes while it is listed.
constexpr std::string_view kLiveSegment = "public, max-age=60, immutable";
constexpr std::string_view kYear = "public, max-age=31536000, immutable";
constexpr std::string_view kRevalidate = "no-cache";  // pages: every use asks, 304 by ETag

bool file_is_media(std::string_view path) {
  for (std::string_view ext : {".ts", ".m4s", ".mp4", ".mkv", ".aac", ".webm"}) {
    if (path.ends_with(ext)) {
      return true;
    }
  }
  return false;
}

bool file_is_master(std::string_view path) {
  return path == "master.m3u8" || path.ends_with("/master.m3u8");
}

}  // namespace

MountCache mount_cache(FileCaching kind) {
  switch (kind) {
    case FileCaching::live:
    case FileCaching::recordings:
      return {1, false};
    case FileCaching::proofs:
    case FileCaching::assets:
      return {31536000, false};
    case FileCaching::pages:
      break;
  }
  return {1, true};  // a page's 304 must not say no-store: the browser would drop its copy
}

std::string_view file_cache_control(FileCaching kind, std::string_view path) {
  switch (kind) {
    case FileCaching::pages:
    case FileCaching::assets:
      // A new content is a new name: the old name's bytes never change. Anything else (a page,
      // a tree that was not built) is asked again at every use.
      return assets::carries_content_hash(path) ? kYear : kRevalidate;
    case FileCaching::proofs:
      return kYear;
    case FileCaching::live:
      if (path.ends_with(".m3u8")) {
        return file_is_master(path) ? kLiveMaster : kPlaylist;
      }
      return file_is_media(path) ? kLiveSegment : std::string_view{};
    case FileCaching::recordings:
      if (path.ends_with(".m3u8")) {
        return file_is_master(path) ? kRecordingMaster : kPlaylist;
      }
      return file_is_media(path) ? kYear : std::string_view{};
  }
  return {};
}

FileCaching caching_for(const std::vector<CachedMount>& mounts, std::string_view path) {
  const CachedMount* best = nullptr;
  for (const auto& m : mounts) {
    bool under = path == m.prefix || m.prefix == "/" ||
                 (path.starts_with(m.prefix) && path.size() > m.prefix.size() &&
                  path[m.prefix.size()] == '/');
    if (under && (best == nullptr || m.prefix.size() > best->prefix.size())) {
      best = &m;
    }
  }
  return best == nullptr ? FileCaching::pages : best->kind;
}

}  // namespace boai::web
