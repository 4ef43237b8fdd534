// LedgerFixture: fresh database, migrations, a live campaign.
#include "tests/support/ledger_fixture.hpp"

#include <stdexcept>

#include "donations/catalog.hpp"
#include "sql/migrations.hpp"
#include "tests/support/test_cluster.hpp"

namespace boai::test {

LedgerFixture LedgerFixture::make(const std::string& hint) {
  auto url = fresh_database(hint);
  auto conn = sql::Connection::open(url);
  if (!conn) {
    throw std::runtime_error(conn.error().message);
  }
  auto known = sql::parse_migrations(sql::embedded_migrations());
  if (!known || !sql::migrate(*conn, *known)) {
    throw std::runtime_error("migrations failed");
  }
  if (!donations::add_fund(*conn, {"aed", "AED 基金", "defibrillators"})) {
    throw std::runtime_error("add_fund failed");
  }
  auto c = donations::add_campaign(*conn, {"firstaid",
                                           "急救知识直播课",
                                           donations::Money::from_yuan(50'000),
                                           "general",
                                           {"aed"},
                                           "live"});
  if (!c) {
    throw std::runtime_error(c.error().message);
  }
  return LedgerFixture{url, std::move(*conn), *c};
}

std::int64_t LedgerFixture::count(const std::string& table) {
  auto r = conn.exec("SELECT count(*) FROM " + table);
  if (!r) {
    throw std::runtime_error(r.error().message);
  }
  return r->int64(0, 0);
}

donations::PledgeRequest LedgerFixture::pledge(const std::string& key, std::int64_t fen,
                                               const std::string& name) {
  donations::PledgeRequest r;
  r.idempotency_key = key;
  r.campaign = "firstaid";
  r.amount = donations::Money::from_fen(fen);
  r.display_name = name;
  r.message = "加油";
  return r;
}

}  // namespace boai::test
