// What every statement parser hands on: one line of money in or out, already checked, in fen and
// UTC microseconds; and the tally of what a parse read.
#pragma once

#include <cstdint>
#include <expected>
#include <functional>
#include <string>

#include "base/error.hpp"
#include "donations/money.hpp"

namespace boai::statements {

enum class LineKind { kPayment, kRefund };

struct StatementLine {
  std::int64_t line = 0;  // in the file, from 1
  LineKind kind = LineKind::kPayment;
  std::string txn_id;  // the provider's id of this line, unique per provider
  // A bank line without the bank's serial number: txn_id is a digest of its content, and the
  // import tells identical lines apart by their order in the file.
  bool txn_id_derived = false;
  std::string original_txn_id;  // a refund: the payment it gives back
  std::string reference;        // our pledge reference (out_trade_no, or found in a remark)
  std::int64_t occurred_us = 0;
  donations::Money amount;   // more than zero
  std::int64_t fee_fen = 0;  // the provider's fee, never negative (a refund's is given back)
  std::string counterparty;  // the payer, as the statement names them
  std::string remark;
};

// Takes each line as it is parsed; an error stops the parse and is returned by it.
using LineSink = std::function<std::expected<void, Error>(const StatementLine&)>;

struct ParseTally {
  std::int64_t rows = 0;     // data rows read
  std::int64_t skipped = 0;  // rows that move no money of ours (revoked orders, money paid out)
};

}  // namespace boai::statements
