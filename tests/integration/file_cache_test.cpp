// Issue #17: the files boai serves say how long nginx or a CDN may keep them: HLS segments a
// minute and immutable, playlists about half a segment, recordings and proofs a year, pages
// revalidated; each with an ETag that answers 304. Through a real `boai serve` over HTTP/1.1.
#include <catch2/catch.hpp>
#include <fstream>
#include <regex>

#include "tests/support/boai_process.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/test_cluster.hpp"

namespace fs = std::filesystem;
using boai::test::BoaiProcess;
using boai::test::http_request;

namespace {

void write_file(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

}  // namespace

TEST_CASE("each served file carries the Cache-Control of its kind and an ETag that answers 304") {
  auto data = boai::test::temp_dir("file_cache");
  write_file(data / "hls/firstaid/master.m3u8", "#EXTM3U\n");
  write_file(data / "hls/firstaid/720p/index.m3u8", "#EXTM3U\n");
  write_file(data / "hls/firstaid/720p/segment00001.ts", std::string(188, 'G'));
  write_file(data / "recordings/class-1/master.m3u8", "#EXTM3U\n");
  write_file(data / "recordings/class-1/720p/index.m3u8", "#EXTM3U\n");
  write_file(data / "recordings/class-1/720p/segment00001.ts", std::string(188, 'G'));
  write_file(data / "recordings/class-1.mp4", "mp4");
  write_file(data / "recordings/old-class.mkv", "mkv");
  write_file(data / "proofs/item-0123456789abcdef.jpg", "jpg");
  BoaiProcess boai({"serve", "--listen", "127.0.0.1:0", "--data-dir", data.string(), "--no-studio"},
                   {{"BOAI_DATABASE_URL", boai::test::fresh_database("file_cache")}});
  auto port = boai.wait_for_port();
  INFO(boai.output());
  REQUIRE(port);

  const std::string segment = "public, max-age=60, immutable";
  const std::string playlist = "public, max-age=1";
  const std::string year = "public, max-age=31536000, immutable";
  const std::pair<std::string, std::string> expected[] = {
      {"/hls/firstaid/master.m3u8", "public, max-age=10"},
      {"/hls/firstaid/720p/index.m3u8", playlist},
      {"/hls/firstaid/720p/segment00001.ts", segment},
      {"/recordings/class-1/master.m3u8", "public, max-age=60"},
      {"/recordings/class-1/720p/index.m3u8", playlist},
      {"/recordings/class-1/720p/segment00001.ts", year},
      {"/recordings/class-1.mp4", year},
      {"/recordings/old-class.mkv", year},
      {"/proofs/item-0123456789abcdef.jpg", year},
      {"/", "no-cache"},
  };
  for (const auto& [path, cache_control] : expected) {
    INFO(path);
    auto first = http_request(*port, "GET", path);
    REQUIRE(first.status == 200);
    CHECK(first.headers["cache-control"] == cache_control);
    REQUIRE(first.headers.contains("etag"));
    auto again = http_request(*port, "GET", path, "", {{"If-None-Match", first.headers["etag"]}});
    CHECK(again.status == 304);
    CHECK(again.body.empty());
    CHECK(again.headers["cache-control"] != "no-store");
  }
}

TEST_CASE("the built pages' hashed scripts and styles are kept a year, in a 304 too") {
  auto data = boai::test::temp_dir("file_cache_assets");
  BoaiProcess boai({"serve", "--listen", "127.0.0.1:0", "--data-dir", data.string(), "--no-studio"},
                   {{"BOAI_DATABASE_URL", boai::test::fresh_database("file_cache_assets")}});
  auto port = boai.wait_for_port();
  INFO(boai.output());
  REQUIRE(port);
  // The default --static-dir is the build's tree: the page names its files by their hash.
  auto page = http_request(*port, "GET", "/");
  REQUIRE(page.status == 200);
  CHECK(page.headers["cache-control"] == "no-cache");
  std::regex hashed(R"re(/(js|css|vendor)/[a-z_.]+\.[0-9a-f]{10}\.(js|css))re");
  std::vector<std::string> files;
  for (auto it = std::sregex_iterator(page.body.begin(), page.body.end(), hashed);
       it != std::sregex_iterator(); ++it) {
    files.push_back(it->str());
  }
  REQUIRE(files.size() >= 3);
  for (const auto& path : files) {
    INFO(path);
    auto first = http_request(*port, "GET", path);
    REQUIRE(first.status == 200);
    CHECK(first.headers["cache-control"] == "public, max-age=31536000, immutable");
    REQUIRE(first.headers.contains("etag"));
    // A 304 states lws' policy of the folder: a year there too, or it would replace the copy's.
    auto again = http_request(*port, "GET", path, "", {{"If-None-Match", first.headers["etag"]}});
    CHECK(again.status == 304);
    CHECK(again.headers["cache-control"].find("max-age=31536000") != std::string::npos);
  }
  // The tree holds hashed names only.
  CHECK(http_request(*port, "GET", "/js/viewer.js").status == 404);
}

TEST_CASE("a page folder that was not built is revalidated at every use, as before") {
  auto data = boai::test::temp_dir("file_cache_unbuilt");
  write_file(data / "site/index.html", "<script type=module src=/js/viewer.js></script>");
  write_file(data / "site/js/viewer.js", "export {};");
  write_file(data / "site/js/old.0123456789.js", "export {};");
  BoaiProcess boai({"serve", "--listen", "127.0.0.1:0", "--data-dir", data.string(), "--no-studio",
                    "--static-dir", (data / "site").string()},
                   {{"BOAI_DATABASE_URL", boai::test::fresh_database("file_cache_unbuilt")}});
  auto port = boai.wait_for_port();
  INFO(boai.output());
  REQUIRE(port);
  auto script = http_request(*port, "GET", "/js/viewer.js");
  REQUIRE(script.status == 200);
  CHECK(script.headers["cache-control"] == "no-cache");
  auto again =
      http_request(*port, "GET", "/js/viewer.js", "", {{"If-None-Match", script.headers["etag"]}});
  CHECK(again.status == 304);
  CHECK(again.headers["cache-control"].find("max-age=31536000") == std::string::npos);
  // A hashed name keeps its year over HTTP/1.1 wherever it lies.
  auto hashed = http_request(*port, "GET", "/js/old.0123456789.js");
  REQUIRE(hashed.status == 200);
  CHECK(hashed.headers["cache-control"] == "public, max-age=31536000, immutable");
}

TEST_CASE("API answers stay no-store and a missing segment is not found") {
  auto data = boai::test::temp_dir("file_cache_api");
  BoaiProcess boai({"serve", "--listen", "127.0.0.1:0", "--data-dir", data.string(), "--no-studio"},
                   {{"BOAI_DATABASE_URL", boai::test::fresh_database("file_cache_api")}});
  auto port = boai.wait_for_port();
  INFO(boai.output());
  REQUIRE(port);
  auto me = http_request(*port, "GET", "/api/me");
  CHECK(me.status == 401);
  CHECK(me.headers["cache-control"] == "no-store");
  auto missing = http_request(*port, "GET", "/hls/firstaid/720p/segment09999.ts");
  CHECK(missing.status == 404);
}
