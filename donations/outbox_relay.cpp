// OutboxRelay: SKIP LOCKED lets several nodes relay side by side without sending a row twice.
#include "donations/outbox_relay.hpp"

#include "donations/outbox.hpp"
#include "sql/transaction.hpp"

namespace boai::donations {

OutboxRelay::OutboxRelay(std::string conninfo)
    : conninfo_(std::move(conninfo)), thread_([this] { run(); }) {}

OutboxRelay::~OutboxRelay() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void OutboxRelay::poke() {
  {
    std::lock_guard lock(mutex_);
    poked_ = true;
  }
  wake_.notify_one();
}

std::expected<int, Error> OutboxRelay::relay_pending(sql::Connection& conn) {
  return sql::in_transaction(conn, [](sql::Connection& tx) -> std::expected<int, Error> {
    auto rows = tx.exec(
        "SELECT id, payload FROM outbox WHERE relayed_at IS NULL ORDER BY id LIMIT 500 "
        "FOR UPDATE SKIP LOCKED");
    if (!rows) {
      return std::unexpected(sql::db_failure(rows.error()));
    }
    std::string ids = "{";
    for (int i = 0; i < rows->rows(); ++i) {
      std::string id(rows->text(i, 0));
      std::string payload(rows->text(i, 1));
      // {"outbox":17,"topic":...}: receivers can tell what they have seen.
      std::string message = "{\"outbox\":" + id + "," + payload.substr(1);
      auto n = tx.exec("SELECT pg_notify($1, $2)", sql::params(kEventChannel, message));
      if (!n) {
        return std::unexpected(sql::db_failure(n.error()));
      }
      ids += (i > 0 ? "," : "") + id;
    }
    ids += "}";
    if (rows->rows() > 0) {
      auto u = tx.exec("UPDATE outbox SET relayed_at = now() WHERE id = ANY($1::bigint[])",
                       sql::params(ids));
      if (!u) {
        return std::unexpected(sql::db_failure(u.error()));
      }
    }
    return rows->rows();
  });
}

void OutboxRelay::run() {
  std::unique_ptr<sql::Connection> conn;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, std::chrono::seconds(1), [&] { return poked_ || stopping_; });
      if (stopping_) {
        return;
      }
      poked_ = false;
    }
    if (!conn || !conn->healthy()) {
      auto c = sql::Connection::open(conninfo_);
      if (!c) {
        continue;  // the database is away; try again on the next tick
      }
      conn = std::make_unique<sql::Connection>(std::move(*c));
    }
    while (true) {
      auto n = relay_pending(*conn);
      if (!n || *n < 500) {
        break;
      }
    }
  }
}

}  // namespace boai::donations
