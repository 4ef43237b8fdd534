// A room with a long history (issue #18): opening it (what the first hello waits for) reads its
// latest events by the primary key, backward, stopped by the LIMIT, never the whole history.
#include <catch2/catch.hpp>

#include "tests/support/ledger_fixture.hpp"
#include "web/room_store.hpp"

using boai::test::LedgerFixture;

TEST_CASE("a room's latest events are an index range scan with a LIMIT, however long its past") {
  constexpr std::int64_t kEvents = 300'000;
  auto f = LedgerFixture::make("room_history");
  REQUIRE(f.conn.exec("INSERT INTO rooms (slug, last_seq) VALUES ('firstaid', $1), ('quiet', 50)",
                      boai::sql::params(kEvents)));
  REQUIRE(f.conn.exec(
      "INSERT INTO room_events (room, seq, type, message_id, payload) SELECT 'firstaid', g, "
      "'chat.message', g, '{\"type\":\"chat.message\",\"seq\":' || g || '}' "
      "FROM generate_series(1, $1::bigint) g",
      boai::sql::params(kEvents)));
  REQUIRE(
      f.conn.exec("INSERT INTO room_events (room, seq, type, payload) "
                  "SELECT 'quiet', g, 'donation', '{}' FROM generate_series(1, 50) g"));
  REQUIRE(f.conn.exec("ANALYZE room_events"));

  auto latest = boai::web::latest_events_statement("firstaid", 200);
  auto plan = f.conn.exec("EXPLAIN " + latest.sql, latest.params);
  REQUIRE(plan);
  std::string text;
  for (int i = 0; i < plan->rows(); ++i) {
    text += std::string(plan->text(i, 0)) + "\n";
  }
  INFO(text);
  auto limit = text.find("Limit");
  auto scan = text.find("Index Scan Backward using room_events_pkey");
  REQUIRE(limit != std::string::npos);
  REQUIRE(scan != std::string::npos);
  CHECK(limit < scan);  // the scan runs under the Limit
  CHECK(text.find("Seq Scan") == std::string::npos);
  CHECK(text.find("Bitmap") == std::string::npos);

  auto room =
      boai::web::load_room(f.conn, "firstaid", 200, boai::donations::Money::from_yuan(2000));
  REQUIRE(room);
  REQUIRE(*room);
  const auto& events = (*room)->events;
  REQUIRE(events.size() == 200);
  CHECK(events.front().seq == kEvents - 199);
  CHECK(events.back().seq == kEvents);
  CHECK((*room)->last_seq == kEvents);
}
