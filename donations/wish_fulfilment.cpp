// Fulfilling a wish takes the ledger head first (it may append the spending), then the wish's row,
// the order every money-changing transaction keeps.
#include "donations/wish_fulfilment.hpp"

#include "donations/ledger_appender.hpp"
#include "donations/payments.hpp"
#include "donations/text_rules.hpp"
#include "sql/transaction.hpp"

namespace boai::donations {

namespace {

using sql::params;

std::expected<void, Error> spend_for(sql::Connection& tx, LedgerAppender& ledger, const Wish& wish,
                                     const WishSpending& spending) {
  ExpenditureRequest request{wish.fund,
                             wish.campaign,
                             spending.amount,
                             "红心愿 #" + std::to_string(wish.id) + " " + wish.title,
                             spending.payee,
                             spending.approved_by,
                             spending.evidence_ref};
  auto spent = detail::add_expenditure(tx, ledger, request, wish.id);
  if (!spent) {
    return std::unexpected(spent.error());
  }
  return ledger.finish();
}

std::expected<Wish, Error> fulfil_locked(sql::Connection& tx, LedgerAppender& ledger,
                                         const WishFulfilment& f, const std::string& note) {
  auto locked = tx.exec("SELECT 1 FROM wishes WHERE id = $1 FOR UPDATE", params(f.wish_id));
  if (!locked) {
    return std::unexpected(sql::db_failure(locked.error()));
  }
  auto wish = find_wish(tx, f.wish_id);
  if (!wish) {
    return std::unexpected(wish.error());
  }
  if (wish->status != "approved" && wish->status != "funded") {
    return std::unexpected(
        make_error("wish_not_open", "wish #" + std::to_string(f.wish_id) + " is " + wish->status));
  }
  if (f.spending) {
    if (auto spent = spend_for(tx, ledger, *wish, *f.spending); !spent) {
      return std::unexpected(spent.error());
    }
  }
  auto updated = tx.exec(
      "UPDATE wishes SET status = 'fulfilled', fulfil_note = $2, proof_file = $3, "
      "updated_at = now() WHERE id = $1",
      params(f.wish_id, note, f.proof_file));
  if (!updated) {
    return std::unexpected(sql::db_failure(updated.error()));
  }
  return find_wish(tx, f.wish_id);
}

}  // namespace

std::expected<Wish, Error> fulfil_wish(sql::Connection& conn, const WishFulfilment& f) {
  auto note = checked_text("the note", f.note, 500);
  if (!note) {
    return std::unexpected(note.error());
  }
  return sql::in_transaction(conn, [&](sql::Connection& tx) -> std::expected<Wish, Error> {
    auto ledger = LedgerAppender::lock(tx);
    if (!ledger) {
      return std::unexpected(ledger.error());
    }
    return fulfil_locked(tx, *ledger, f, *note);
  });
}

}  // namespace boai::donations
