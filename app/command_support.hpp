// What the desk's commands share: reporting an error as `boai: CODE: sentence`, a connection to
// the database the flags name (with the outbox relayed afterwards), and money flags.
#pragma once

#include <cstdio>
#include <expected>

#include "app/database_setup.hpp"
#include "app/options.hpp"
#include "app/payment_thanks.hpp"
#include "donations/money.hpp"
#include "donations/outbox_relay.hpp"
#include "sql/connection.hpp"

namespace boai::app {

inline int report(const Error& e) {
  std::fprintf(stderr, "boai: %s: %s\n", e.code.c_str(), e.message.c_str());
  return 1;
}

// Runs fn on a connection to the database the flags name; events written by fn are relayed.
template <typename Fn>
int with_database(const Invocation& inv, Fn&& fn) {
  auto db = open_database(inv.options, false);
  if (!db) {
    return report(db.error());
  }
  auto conn = sql::Connection::open(db->conninfo);
  if (!conn) {
    return report(make_error("db_unreachable", conn.error().message));
  }
  int code = fn(*conn);
  (void)donations::OutboxRelay::relay_pending(*conn, thank_payment_in_room);
  return code;
}

inline std::expected<donations::Money, Error> money_flag(const Invocation& inv,
                                                         const std::string& flag) {
  auto m = donations::Money::parse(inv.value(flag));
  if (!m) {
    return std::unexpected(make_error(m.error().code, flag + ": " + m.error().message));
  }
  return m;
}

}  // namespace boai::app
