// Issue #17: which Cache-Control a served file gets, by its tree and its name.
#include <catch2/catch.hpp>

#include "web/file_cache.hpp"

using boai::web::CachedMount;
using boai::web::caching_for;
using boai::web::file_cache_control;
using boai::web::FileCaching;

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
