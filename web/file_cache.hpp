// The Cache-Control of files lws serves from the mounts, by kind of tree and kind of file, so that
// nginx or a CDN can answer most viewers: HLS segments for a minute and immutable, playlists for
// about half a segment, recordings and proof photos for a year, pages revalidated by ETag, the
// pages' scripts and styles (named by their content's hash: assets/hashed_name.hpp) for a year.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace boai::web {

// assets: a folder of the pages' tree whose every file carries a content hash (js/, css/, vendor/
// of the built tree), so that lws' own policy too may say a year.
enum class FileCaching { pages, assets, live, recordings, proofs };

// What lws writes itself (HTTP/2 answers and every 304): the mount's one policy.
struct MountCache {
  unsigned max_age = 0;  // 0: lws says no-store
  bool revalidate = false;
};
MountCache mount_cache(FileCaching kind);

// The Cache-Control of one file, told by its name; empty: the mount's own.
std::string_view file_cache_control(FileCaching kind, std::string_view path);

// Which mount a path is under: the longest matching prefix.
struct CachedMount {
  std::string prefix;
  FileCaching kind;
};
FileCaching caching_for(const std::vector<CachedMount>& mounts, std::string_view path);

}  // namespace boai::web
