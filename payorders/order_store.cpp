// The order rows: one INSERT ... ON CONFLICT DO NOTHING and a SELECT ... FOR UPDATE make every
// retry (from any node) meet the same row, and wait while another call asks the provider.
#include "payorders/order_store.hpp"

namespace boai::payorders {

namespace {

using sql::param;
using sql::params;

std::unexpected<Error> db_error(const sql::DbError& e) {
  return std::unexpected(Error{e.code, e.message});
}

constexpr const char* kOrderColumns =
    "o.id, o.pledge_id, o.reference, o.provider, o.method, o.amount_fen, o.status, o.code_url, "
    "o.h5_url, o.prepay_id, o.detail";

std::vector<PayOrder> read_orders(const sql::Result& r) {
  std::vector<PayOrder> out;
  for (int i = 0; i < r.rows(); ++i) {
    PayOrder o;
    o.id = r.int64(i, 0);
    o.pledge_id = r.int64(i, 1);
    o.reference = std::string(r.text(i, 2));
    o.provider = std::string(r.text(i, 3));
    o.method = std::string(r.text(i, 4));
    o.amount = donations::Money::from_fen(r.int64(i, 5));
    o.status = std::string(r.text(i, 6));
    o.made = {std::string(r.text(i, 7)), std::string(r.text(i, 8)), std::string(r.text(i, 9))};
    o.detail = std::string(r.text(i, 10));
    out.push_back(std::move(o));
  }
  return out;
}

std::expected<std::vector<PayOrder>, Error> select_orders(sql::Connection& conn,
                                                          const std::string& sql,
                                                          const sql::Params& p) {
  auto r = conn.exec(sql, p);
  if (!r) {
    return db_error(r.error());
  }
  return read_orders(*r);
}

}  // namespace

std::expected<PledgeToPay, Error> pledge_to_pay(sql::Connection& conn,
                                                const std::string& reference) {
  auto r = conn.exec(
      "SELECT id, reference, CASE target_kind WHEN 'wish' THEN 'wish' WHEN 'sale' THEN 'sale' "
      "ELSE 'gift' END, status, amount_fen - paid_fen FROM pledges WHERE reference = upper($1)",
      params(reference));
  if (!r) {
    return db_error(r.error());
  }
  if (r->rows() == 0) {
    return std::unexpected(make_error("pledge_not_found", "no pledge has this reference"));
  }
  return PledgeToPay{r->int64(0, 0), std::string(r->text(0, 1)), std::string(r->text(0, 2)),
                     std::string(r->text(0, 3)), donations::Money::from_fen(r->int64(0, 4))};
}

std::expected<PayOrder, Error> lock_order(sql::Connection& conn, const PledgeToPay& pledge,
                                          const std::string& provider, const std::string& method,
                                          const std::string& openid) {
  auto ins = conn.exec(
      "INSERT INTO pay_orders (pledge_id, reference, provider, method, amount_fen, openid) "
      "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (reference, provider) DO NOTHING "
      "RETURNING id",
      {param(pledge.id), param(pledge.reference), param(provider), param(method),
       param(pledge.owed.fen()), param(openid)});
  if (!ins) {
    return db_error(ins.error());
  }
  bool fresh = ins->rows() == 1;
  auto got = select_orders(conn,
                           std::string("SELECT ") + kOrderColumns +
                               " FROM pay_orders o WHERE o.reference = $1 AND o.provider = $2 "
                               "FOR UPDATE",
                           params(pledge.reference, provider));
  if (!got) {
    return std::unexpected(got.error());
  }
  if (got->empty()) {
    return std::unexpected(make_error("db_unavailable", "the order row went away"));
  }
  auto order = std::move(got->front());
  order.fresh = fresh;
  return order;
}

std::expected<void, Error> save_made(sql::Connection& conn, std::int64_t order_id,
                                     const std::string& method, donations::Money amount,
                                     const OrderMade& made) {
  auto r = conn.exec(
      "UPDATE pay_orders SET status = 'created', method = $2, amount_fen = $3, code_url = $4, "
      "h5_url = $5, prepay_id = $6, detail = '', created_at = now(), updated_at = now() "
      "WHERE id = $1",
      {param(order_id), param(method), param(amount.fen()), param(made.code_url),
       param(made.h5_url), param(made.prepay_id)});
  if (!r) {
    return db_error(r.error());
  }
  return {};
}

std::expected<void, Error> save_failed(sql::Connection& conn, std::int64_t order_id,
                                       const std::string& detail) {
  auto r = conn.exec(
      "UPDATE pay_orders SET status = 'failed', detail = $2, updated_at = now() WHERE id = $1",
      params(order_id, detail));
  if (!r) {
    return db_error(r.error());
  }
  return {};
}

std::expected<std::vector<PayOrder>, Error> orders_for(sql::Connection& conn,
                                                       const std::string& reference) {
  return select_orders(conn,
                       std::string("SELECT ") + kOrderColumns +
                           " FROM pay_orders o WHERE o.reference = upper($1) ORDER BY o.id",
                       params(reference));
}

std::expected<std::vector<PayOrder>, Error> orders_to_close(sql::Connection& conn, int limit) {
  return select_orders(conn,
                       std::string("SELECT ") + kOrderColumns +
                           " FROM pay_orders o JOIN pledges p ON p.id = o.pledge_id "
                           "WHERE o.status = 'created' AND p.status NOT IN ('pledged', "
                           "'part_paid') ORDER BY o.id LIMIT $1",
                       params(std::int64_t{limit}));
}

std::expected<std::vector<PayOrder>, Error> orders_to_query(sql::Connection& conn,
                                                            std::int64_t query_after_seconds,
                                                            int limit) {
  return select_orders(
      conn,
      std::string("SELECT ") + kOrderColumns +
          " FROM pay_orders o WHERE o.status = 'created' "
          "AND coalesce(o.last_queried_at, o.created_at) < now() - make_interval(secs => "
          "$1::double precision * power(2, least(o.queries, 6))) ORDER BY o.id LIMIT $2",
      params(query_after_seconds, std::int64_t{limit}));
}

std::expected<bool, Error> pledge_has_payment_from(sql::Connection& conn, std::int64_t pledge_id,
                                                   const std::string& provider) {
  auto r = conn.exec("SELECT 1 FROM payments WHERE pledge_id = $1 AND provider = $2 LIMIT 1",
                     params(pledge_id, provider));
  if (!r) {
    return db_error(r.error());
  }
  return r->rows() > 0;
}

std::expected<void, Error> settle_order(sql::Connection& conn, std::int64_t order_id,
                                        const std::string& status, const std::string& detail) {
  auto r = conn.exec(
      "UPDATE pay_orders SET status = $2, detail = $3, updated_at = now() "
      "WHERE id = $1 AND status = 'created'",
      params(order_id, status, detail));
  if (!r) {
    return db_error(r.error());
  }
  return {};
}

std::expected<void, Error> note_queried(sql::Connection& conn, std::int64_t order_id,
                                        const std::string& state) {
  auto r = conn.exec(
      "UPDATE pay_orders SET last_queried_at = now(), queries = queries + 1, detail = $2 "
      "WHERE id = $1",
      params(order_id, "queried: " + state));
  if (!r) {
    return db_error(r.error());
  }
  return {};
}

}  // namespace boai::payorders
