// A wish is fulfilled: the note and proof the public sees, and the spending that paid for it,
// written together or not at all. Blocking: run it on a worker thread.
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>

#include "base/error.hpp"
#include "donations/money.hpp"
#include "donations/wishes.hpp"
#include "sql/connection.hpp"

namespace boai::donations {

// What the station paid, from the wish's fund, to fulfil it.
struct WishSpending {
  Money amount;
  std::string payee;
  std::string approved_by;
  std::string evidence_ref;  // the invoice or transfer number, optional
};

struct WishFulfilment {
  std::int64_t wish_id = 0;
  std::string note;        // up to 500 characters, shown with the wish
  std::string proof_file;  // a file name under the proofs folder, or ""
  std::optional<WishSpending> spending;
};

// An approved or funded wish becomes fulfilled; with spending, an expenditure tied to the wish
// ("红心愿 #ID title") is recorded in the same transaction. Errors: wish_not_found,
// wish_not_open, text_invalid, too_long, amount_out_of_range, db_*.
std::expected<Wish, Error> fulfil_wish(sql::Connection& conn, const WishFulfilment& fulfilment);

}  // namespace boai::donations
