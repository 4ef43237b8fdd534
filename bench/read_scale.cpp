// bench/read_scale: what reads "all of something" as the books grow (issue #18), through a real
// `boai serve --no-studio` over loopback HTTP, each beside a floor measured in the same run:
//   /api/rooms with 1,000 campaigns      beside its one query over libpq, and the old N+1 reads
//   /api/recordings with 5,000 files     beside reading the directory's names
//   a room's opening (what hello waits   beside the raw SQL of its latest events
//     for) with 1,000,000 chat events
//   /api/ledger/entries deep into 1M     beside the raw SQL of the same rows
// and GET /api/station (no work at all) as the floor of an HTTP round trip.
//
//   read_scale [--database-url URL] [--campaigns 1000] [--recordings 5000] [--chat 1000000]
//              [--ledger 1000000] [--repeat 30]
// Figures are printed, never asserted. Without a URL it starts a private cluster.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "app/embedded_postgres.hpp"
#include "donations/catalog.hpp"
#include "sql/connection.hpp"
#include "sql/migrations.hpp"
#include "tests/support/boai_process.hpp"
#include "tests/support/http_client.hpp"
#include "web/room_store.hpp"

using namespace boai;
using Clock = std::chrono::steady_clock;

namespace {

struct Figure {
  double median_ms = 0;
  double max_ms = 0;
};

// Runs `once` `repeat` times (after one untimed run: the cache's first listing, a cold plan).
Figure time_it(int repeat, const std::function<bool()>& once) {
  std::vector<double> ms;
  bool ok = once();
  for (int i = 0; i < repeat; ++i) {
    auto t0 = Clock::now();
    ok = once() && ok;
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  }
  if (!ok) {
    std::fprintf(stderr, "read_scale: a request failed\n");
  }
  std::sort(ms.begin(), ms.end());
  return {ms[ms.size() / 2], ms.back()};
}

void print(const char* what, Figure f, const char* floor_name = nullptr, Figure floor = {}) {
  std::printf("%-44s %9.2f %9.2f", what, f.median_ms, f.max_ms);
  if (floor_name != nullptr) {
    std::printf("   %-34s %9.2f %9.2f", floor_name, floor.median_ms, floor.max_ms);
  }
  std::printf("\n");
  std::fflush(stdout);
}

bool exec(sql::Connection& conn, const std::string& sql, const std::vector<sql::Param>& p = {}) {
  auto r = conn.exec(sql, p);
  if (!r) {
    std::fprintf(stderr, "read_scale: %s\n", r.error().message.c_str());
  }
  return static_cast<bool>(r);
}

// The campaigns (through the catalog) and their totals (one row per campaign and fund).
bool grow_campaigns(sql::Connection& conn, int n) {
  auto have = conn.exec("SELECT count(*) FROM campaigns");
  for (auto k = have ? have->int64(0, 0) : n; k < n; ++k) {
    std::string slug = "c";  // not "c" + to_string(k): g++ 12 warns of a memcpy overlap there
    slug += std::to_string(k);
    if (!donations::add_campaign(conn, {slug,
                                        "活动 " + slug,
                                        donations::Money::from_yuan(1000),
                                        "general",
                                        {},
                                        k % 4 == 0 ? "live" : "closed"})) {
      return false;
    }
  }
  return exec(conn,
              "INSERT INTO ledger_totals (campaign_id, fund_id, pledged_fen, received_fen, "
              "pledge_count) SELECT id, default_fund_id, id * 100, id * 50, id FROM campaigns "
              "ON CONFLICT DO NOTHING");
}

// Chat events and ledger entries written in bulk by SQL: the reads below look at rows, not at
// how they came (the ledger's pages do not verify the chain).
bool grow_rows(sql::Connection& conn, std::int64_t chat, std::int64_t ledger) {
  return exec(conn, "INSERT INTO rooms (slug, last_seq) VALUES ('c0', $1) ON CONFLICT DO NOTHING",
              sql::params(chat)) &&
         exec(conn,
              "INSERT INTO room_events (room, seq, type, message_id, payload) SELECT 'c0', g, "
              "'chat.message', g, '{\"type\":\"chat.message\",\"text\":\"加油 ' || g || '\"}' "
              "FROM generate_series((SELECT count(*) + 1 FROM room_events), $1) g",
              sql::params(chat)) &&
         exec(conn,
              "INSERT INTO ledger_entries SELECT g, 'pledge', g * 1000, 1, 1, g, NULL, NULL, "
              "1000 + g % 5000, '张*', 'REF' || g, 'live', md5(g::text) || md5((g + 1)::text), "
              "md5(g::text || 'x') || md5(g::text) "
              "FROM generate_series((SELECT coalesce(max(seq), 0) + 1 FROM ledger_entries), $1) g",
              sql::params(ledger)) &&
         exec(conn, "VACUUM (ANALYZE) room_events") &&
         exec(conn, "VACUUM (ANALYZE) ledger_entries");
}

std::vector<std::string> make_recordings(const std::filesystem::path& dir, int n) {
  std::filesystem::create_directories(dir);
  std::vector<std::string> names;
  for (int k = 0; k < n; ++k) {
    char name[64];
    std::snprintf(name, sizeof name, "c0-20%02d%02d%02dT%02d0000Z.mkv", 20 + k / 8064,
                  1 + k / 672 % 12, 1 + k / 24 % 28, k % 24);
    names.push_back(name);
    std::ofstream(dir / name) << "mkv";
  }
  std::sort(names.rbegin(), names.rend());
  return names;
}

bool get_ok(int port, const std::string& path) {
  return test::http_get(port, path).status == 200;
}

}  // namespace

int main(int argc, char** argv) {
  std::string url;
  int campaigns = 1000, recordings = 5000, repeat = 30;
  std::int64_t chat = 1'000'000, ledger = 1'000'000;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    long long v = std::atoll(argv[i + 1]);
    if (flag == "--database-url") {
      url = argv[i + 1];
    } else if (flag == "--campaigns") {
      campaigns = static_cast<int>(v);
    } else if (flag == "--recordings") {
      recordings = static_cast<int>(v);
    } else if (flag == "--chat") {
      chat = v;
    } else if (flag == "--ledger") {
      ledger = v;
    } else if (flag == "--repeat") {
      repeat = static_cast<int>(v);
    }
  }
  auto dir =
      std::filesystem::temp_directory_path() / ("boai-read-scale-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::filesystem::permissions(dir, std::filesystem::perms::all);
  std::unique_ptr<app::EmbeddedPostgres> pg;
  if (url.empty()) {
    auto started = app::EmbeddedPostgres::start(dir / "data");
    if (!started) {
      std::fprintf(stderr, "read_scale: %s\n", started.error().message.c_str());
      return 1;
    }
    pg = std::move(*started);
    url = pg->conninfo();
  }
  auto conn = sql::Connection::open(url);
  auto known = sql::parse_migrations(sql::embedded_migrations());
  if (!conn || !known || !sql::migrate(*conn, *known)) {
    std::fprintf(stderr, "read_scale: cannot reach or migrate the database\n");
    return 1;
  }
  auto t0 = Clock::now();
  if (!grow_campaigns(*conn, campaigns) || !grow_rows(*conn, chat, ledger)) {
    return 1;
  }
  auto names = make_recordings(dir / "recordings", recordings);
  std::printf(
      "read_scale: %d campaigns, %d recordings, %lld chat events, %lld ledger entries "
      "(grown in %.1f s)\n",
      campaigns, recordings, static_cast<long long>(chat), static_cast<long long>(ledger),
      std::chrono::duration<double>(Clock::now() - t0).count());
  test::BoaiProcess boai(
      {"serve", "--listen", "127.0.0.1:0", "--data-dir", (dir / "serve").string(), "--no-studio",
       "--recordings-dir", (dir / "recordings").string()},
      {{"BOAI_DATABASE_URL", url}});
  auto port = boai.wait_for_port();
  if (!port) {
    std::fprintf(stderr, "read_scale: boai did not start:\n%s\n", boai.output().c_str());
    return 1;
  }
  int p = *port;
  std::printf("%-44s %9s %9s   %-34s %9s %9s\n", "request (ms over loopback HTTP)", "median", "max",
              "floor", "median", "max");
  auto http_floor = time_it(repeat, [&] { return get_ok(p, "/api/station"); });
  print("GET /api/station (no work)", http_floor);

  auto one_query = time_it(
      repeat, [&] { return static_cast<bool>(donations::list_campaigns_with_totals(*conn)); });
  auto n_plus_one = time_it(3, [&] {
    auto all = donations::list_campaigns(*conn);
    for (const auto& c : all ? *all : std::vector<donations::Campaign>{}) {
      (void)donations::campaign_totals(*conn, c.id);
    }
    return static_cast<bool>(all);
  });
  print("GET /api/rooms", time_it(repeat, [&] { return get_ok(p, "/api/rooms"); }),
        "its one query (libpq)", one_query);
  print("  (before: a query per campaign, libpq)", n_plus_one);

  auto readdir = time_it(repeat, [&] {
    std::size_t n = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir / "recordings")) {
      n += e.path().filename().string().size() > 0 ? 1 : 0;
    }
    return n == names.size();
  });
  print("GET /api/recordings (first 50)",
        time_it(repeat, [&] { return get_ok(p, "/api/recordings"); }), "names of the directory",
        readdir);
  auto deep = "/api/recordings?limit=200&before=" + names[names.size() * 4 / 5];
  print("GET /api/recordings 200 at 4/5 deep", time_it(repeat, [&] { return get_ok(p, deep); }),
        "names of the directory", readdir);

  int added = 0;
  print("GET /api/recordings after a new file",
        time_it(repeat,
                [&] {
                  char name[64];
                  std::snprintf(name, sizeof name, "c0-209901%02dT%02d0000Z.mkv",
                                1 + added / 24 % 28, added % 24);
                  ++added;
                  std::ofstream(dir / "recordings" / name) << "mkv";
                  return get_ok(p, "/api/recordings");
                }),
        "names of the directory", readdir);

  auto latest = time_it(repeat, [&] {
    return exec(*conn,
                "SELECT seq, type, payload FROM room_events WHERE room = 'c0' "
                "ORDER BY seq DESC LIMIT 200");
  });
  print("a room's opening (load_room, libpq)",
        time_it(repeat,
                [&] {
                  auto r = web::load_room(*conn, "c0", 200, donations::Money::from_yuan(2000));
                  return r && *r &&
                         static_cast<std::int64_t>((*r)->events.size()) ==
                             std::min<std::int64_t>(200, chat);
                }),
        "its 200 latest events (libpq)", latest);

  for (std::int64_t after :
       {std::int64_t{0}, ledger / 2, std::max<std::int64_t>(ledger - 500, 0)}) {
    for (int limit : {100, 500}) {
      auto page = "/api/ledger/entries?after_seq=" + std::to_string(after) +
                  "&limit=" + std::to_string(limit);
      auto raw = time_it(repeat, [&] {
        return exec(*conn, "SELECT * FROM ledger_entries WHERE seq > $1 ORDER BY seq LIMIT $2",
                    sql::params(after, limit));
      });
      auto label = "GET ledger after " + std::to_string(after) + " limit " + std::to_string(limit);
      print(label.c_str(), time_it(repeat, [&] { return get_ok(p, page); }),
            "the same rows (libpq)", raw);
    }
  }
  boai.signal(SIGTERM);
  boai.wait_exit();
  pg.reset();
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  return 0;
}
