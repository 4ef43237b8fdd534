// OutboxRelay: SKIP LOCKED lets several nodes relay side by side without sending a row twice.
#include "donations/outbox_relay.hpp"

#include <cstdio>

#include "donations/outbox.hpp"
#include "sql/transaction.hpp"

namespace boai::donations {

OutboxRelay::OutboxRelay(std::string conninfo, AlsoOnRelay also)
    : conninfo_(std::move(conninfo)), also_(std::move(also)), thread_([this] { run(); }) {}

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

namespace {

// Runs also inside a savepoint: what it did stays only if it succeeded.
std::expected<void, Error> run_also(sql::Connection& tx, const AlsoOnRelay& also,
                                    const std::string& topic, const std::string& payload) {
  if (auto s = tx.exec("SAVEPOINT also_on_relay"); !s) {
    return std::unexpected(sql::db_failure(s.error()));
  }
  auto done = also(tx, topic, payload);
  auto end =
      tx.exec(done ? "RELEASE SAVEPOINT also_on_relay" : "ROLLBACK TO SAVEPOINT also_on_relay");
  if (!end) {
    return std::unexpected(sql::db_failure(end.error()));
  }
  if (!done) {
    std::fprintf(stderr, "boai: outbox %s: %s\n", topic.c_str(), done.error().message.c_str());
  }
  return {};
}

}  // namespace

std::expected<int, Error> OutboxRelay::relay_pending(sql::Connection& conn,
                                                     const AlsoOnRelay& also) {
  return sql::in_transaction(conn, [&also](sql::Connection& tx) -> std::expected<int, Error> {
    auto rows = tx.exec(
        "SELECT id, payload, topic FROM outbox WHERE relayed_at IS NULL ORDER BY id LIMIT 500 "
        "FOR UPDATE SKIP LOCKED");
    if (!rows) {
      return std::unexpected(sql::db_failure(rows.error()));
    }
    std::string ids = "{";
    for (int i = 0; i < rows->rows(); ++i) {
      std::string id(rows->text(i, 0));
      std::string payload(rows->text(i, 1));
      if (also) {
        if (auto a = run_also(tx, also, std::string(rows->text(i, 2)), payload); !a) {
          return std::unexpected(a.error());
        }
      }
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
      auto n = relay_pending(*conn, also_);
      if (!n || *n < 500) {
        break;
      }
    }
  }
}

}  // namespace boai::donations
