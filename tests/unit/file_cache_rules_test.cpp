// Issue #17: which Cache-Control a served file gets, by its tree and its name.
#include <catch2/catch.hpp>

#include "web/file_cache.hpp"

using boai::web::CachedMount;
using boai::web::caching_for;
using boai::web::file_cache_control;
using boai::web::FileCaching;
using boai::web::mount_cache;

TEST_CASE("live HLS: segments a minute, media playlists a second, the master ten") {
  CHECK(file_cache_control(FileCaching::live, "/hls/r/720p/segment00003.ts") ==
        "public, max-age=60, immutable");
  CHECK(file_cache_control(FileCaching::live, "/hls/r/720p/index.m3u8") == "public, max-age=1");
  CHECK(file_cache_control(FileCaching::live, "/hls/r/master.m3u8") == "public, max-age=10");
  CHECK(file_cache_control(FileCaching::live, "/hls/r/notes.txt").empty());
}

TEST_CASE("recordings: playlists short, media a year, proofs a year, pages revalidate") {
  CHECK(file_cache_control(FileCaching::recordings, "/recordings/c/720p/index.m3u8") ==
        "public, max-age=1");
  CHECK(file_cache_control(FileCaching::recordings, "/recordings/c/master.m3u8") ==
        "public, max-age=60");
  for (const char* p : {"/recordings/c/720p/segment00001.ts", "/recordings/c.mp4", "/r/a.mkv"}) {
    CHECK(file_cache_control(FileCaching::recordings, p) == "public, max-age=31536000, immutable");
  }
  CHECK(file_cache_control(FileCaching::proofs, "/proofs/item-00.jpg") ==
        "public, max-age=31536000, immutable");
  CHECK(file_cache_control(FileCaching::pages, "/index.html") == "no-cache");
}

TEST_CASE("a path belongs to the longest mount it is under") {
  std::vector<CachedMount> mounts = {{"/", FileCaching::pages},
                                     {"/hls", FileCaching::live},
                                     {"/recordings", FileCaching::recordings}};
  CHECK(caching_for(mounts, "/hls/r/index.m3u8") == FileCaching::live);
  CHECK(caching_for(mounts, "/hlsx/a.ts") == FileCaching::pages);
  CHECK(caching_for(mounts, "/recordings/a.mp4") == FileCaching::recordings);
  CHECK(caching_for(mounts, "/js/a.js") == FileCaching::pages);
  CHECK(caching_for({}, "/hls/a.ts") == FileCaching::pages);
}

TEST_CASE("scripts and styles: a year under a hashed name, revalidated under another") {
  const std::string year = "public, max-age=31536000, immutable";
  for (auto kind : {FileCaching::pages, FileCaching::assets}) {
    CHECK(file_cache_control(kind, "/js/viewer.3f2a1b9c0d.js") == year);
    CHECK(file_cache_control(kind, "/vendor/hls.min.cfc70cc9e9.js") == year);
    CHECK(file_cache_control(kind, "/css/base.681ee8ca53.css") == year);
    CHECK(file_cache_control(kind, "/js/viewer.js") == "no-cache");
    CHECK(file_cache_control(kind, "/index.html") == "no-cache");
  }
  // lws' own policy (HTTP/2, 304s): a year for a built tree's folders, revalidate for pages.
  CHECK(mount_cache(FileCaching::assets).max_age == 31536000);
  CHECK_FALSE(mount_cache(FileCaching::assets).revalidate);
  CHECK(mount_cache(FileCaching::pages).revalidate);
  std::vector<CachedMount> mounts = {{"/", FileCaching::pages}, {"/js", FileCaching::assets}};
  CHECK(caching_for(mounts, "/js/viewer.3f2a1b9c0d.js") == FileCaching::assets);
  CHECK(caching_for(mounts, "/report.html") == FileCaching::pages);
}
