// GET /api/recordings (issue #18): the replay library a page at a time, newest first, read off
// the loop, through a real `boai serve`.
#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "tests/support/boai_process.hpp"
#include "tests/support/http_json.hpp"
#include "tests/support/test_cluster.hpp"

namespace fs = std::filesystem;
using boai::test::BoaiProcess;
using boai::test::get_json;
using nlohmann::json;

namespace {

// room-2026MMDDTHHMMSSZ.mkv for recording k: later k, later start; every tenth has a twin
// started in the same second (-1), which comes first by name.
std::vector<std::string> make_library(const fs::path& dir, int n) {
  std::vector<std::string> names;
  for (int k = 0; k < n; ++k) {
    char name[64];
    std::snprintf(name, sizeof name, "%s-202603%02dT%02d%02d%02dZ.mkv",
                  k % 2 == 0 ? "firstaid" : "aed-class", 1 + k / 1440 % 28, k / 60 % 24, k % 60,
                  k % 60);
    names.push_back(name);
    if (k % 10 == 0) {
      std::string twin = std::string(name).substr(0, std::strlen(name) - 4) + "-1.mkv";
      names.push_back(twin);
    }
  }
  for (std::size_t i = 0; i < names.size(); ++i) {
    std::ofstream(dir / names[i]) << std::string(i % 7, 'x');
  }
  std::ofstream(dir / "notes.txt") << "not a recording";
  std::ofstream(dir / "random.mkv") << "not named as one";
  fs::create_directory(dir / "firstaid-20260101T000000Z.mkv");  // a directory, not a file
  // As a library written long ago: the route trusts a listing made well after the last change.
  fs::last_write_time(dir, fs::file_time_type::clock::now() - std::chrono::hours(1));
  // Newest first: by start, then by name, as the route orders them.
  std::sort(names.begin(), names.end(), [](const std::string& a, const std::string& b) {
    auto start = [](const std::string& s) { return s.substr(s.rfind('T') - 8, 15); };
    return start(a) != start(b) ? start(a) > start(b) : a > b;
  });
  return names;
}

}  // namespace

TEST_CASE("recordings come a page at a time, newest first, before a name") {
  auto dir = boai::test::temp_dir("recordings");
  auto names = make_library(dir, 430);
  auto data = boai::test::temp_dir("recordings_data");
  BoaiProcess boai({"serve", "--listen", "127.0.0.1:0", "--data-dir", data.string(), "--no-studio",
                    "--recordings-dir", dir.string()},
                   {{"BOAI_DATABASE_URL", boai::test::fresh_database("recordings")}});
  auto port = boai.wait_for_port();
  INFO(boai.output());
  REQUIRE(port);

  SECTION("the default page is the newest 50, each with its size and url") {
    auto page = get_json(*port, "/api/recordings");
    REQUIRE(page.at("recordings").size() == 50);
    for (std::size_t i = 0; i < 50; ++i) {
      const auto& r = page.at("recordings").at(i);
      CHECK(r.at("name") == names[i]);
      CHECK(r.at("url") == "/recordings/" + names[i]);
      CHECK(r.at("bytes") == fs::file_size(dir / names[i]));
    }
    CHECK(page.at("recordings").front().at("started").get<std::string>().ends_with("Z"));
    CHECK(page.at("next_before") == names[49]);
  }
  SECTION("pages of 33 by next_before cover the library once, in order") {
    std::vector<std::string> seen;
    std::string before;
    for (int pages = 0; pages < 100; ++pages) {
      auto page = get_json(*port, "/api/recordings?limit=33&before=" + before);
      for (const auto& r : page.at("recordings")) {
        seen.push_back(r.at("name"));
      }
      if (page.at("next_before").is_null()) {
        break;
      }
      before = page.at("next_before").get<std::string>();
    }
    CHECK(seen == names);
  }
  SECTION("before a name no longer listed, and the largest page") {
    CHECK(get_json(*port, "/api/recordings?limit=200").at("recordings").size() == 200);
    auto gone = names[120];
    fs::remove(dir / gone);
    auto page = get_json(*port, "/api/recordings?limit=200&before=" + gone);
    REQUIRE(page.at("recordings").size() == 200);
    CHECK(page.at("recordings").front().at("name") == names[121]);
    CHECK(page.at("next_before") == names[320]);
    auto last = get_json(*port, "/api/recordings?limit=200&before=" + names[320]);
    CHECK(last.at("recordings").size() == names.size() - 321);
    CHECK(last.at("next_before").is_null());
  }
  SECTION("a new recording is on the first page once it is written") {
    CHECK(get_json(*port, "/api/recordings?limit=1").at("recordings").at(0).at("name") == names[0]);
    std::string newest = "firstaid-20270101T000000Z.mkv";
    std::ofstream(dir / newest) << "new";
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    json first;
    for (;;) {
      first = get_json(*port, "/api/recordings?limit=1");
      if (first.at("recordings").at(0).at("name") == newest ||
          std::chrono::steady_clock::now() > deadline) {
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));  // polling for the condition
    }
    CHECK(first.at("recordings").at(0).at("name") == newest);
    CHECK(first.at("recordings").at(0).at("bytes") == 3);
  }
  SECTION("bad arguments get 400 bad_request") {
    for (const char* query :
         {"limit=0", "limit=201", "limit=-1", "limit=abc", "limit=", "before=notes.txt",
          "before=../x-20260101T000000Z.mkv", "limit=10&before=random.mkv"}) {
      auto reply = get_json(*port, std::string("/api/recordings?") + query, 400);
      CHECK(reply.at("error") == "bad_request");
    }
  }
}

TEST_CASE("a missing recordings directory is an empty library") {
  auto data = boai::test::temp_dir("recordings_none");
  BoaiProcess boai({"serve", "--listen", "127.0.0.1:0", "--data-dir", data.string(), "--no-studio",
                    "--recordings-dir", (data / "nothing-here").string()},
                   {{"BOAI_DATABASE_URL", boai::test::fresh_database("recordings_none")}});
  auto port = boai.wait_for_port();
  INFO(boai.output());
  REQUIRE(port);
  auto page = get_json(*port, "/api/recordings");
  CHECK(page.at("recordings").empty());
  CHECK(page.at("next_before").is_null());
}
