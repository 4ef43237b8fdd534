// One query: the pledge's payments in the order they were paid.
#include "donations/pledge_payments.hpp"

namespace boai::donations {

std::expected<std::vector<PaymentLine>, Error> pledge_payments(sql::Connection& conn,
                                                               std::int64_t pledge_id) {
  auto r = conn.exec(
      "SELECT id, provider, provider_txn_id, amount_fen, fee_fen, "
      "to_char(paid_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI:SS') "
      "FROM payments WHERE pledge_id = $1 ORDER BY paid_at, id",
      sql::params(pledge_id));
  if (!r) {
    return std::unexpected(Error{r.error().code, r.error().message});
  }
  std::vector<PaymentLine> out;
  for (int i = 0; i < r->rows(); ++i) {
    out.push_back({r->int64(i, 0), std::string(r->text(i, 1)), std::string(r->text(i, 2)),
                   Money::from_fen(r->int64(i, 3)), Money::from_fen(r->int64(i, 4)),
                   std::string(r->text(i, 5))});
  }
  return out;
}

}  // namespace boai::donations
