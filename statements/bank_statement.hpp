// A bank statement CSV, read through a profile that names the bank's columns: each bank exports
// its own layout, so the desk keeps one profile per bank (the bank_profiles table).
#pragma once

#include <expected>
#include <string>

#include "statements/byte_source.hpp"
#include "statements/statement_line.hpp"

namespace boai::statements {

struct BankProfile {
  std::string name;
  std::string date_column;          // "交易日期"
  std::string amount_column;        // money in, in yuan: "贷方发生额"
  std::string counterparty_column;  // "对方户名"
  std::string remark_column;        // "摘要" or "附言": where donors type the reference
  std::string txn_column;           // the bank's serial number ("流水号"); empty: none
  std::string encoding = "utf-8";   // or "gbk"
  int skip_lines = 0;               // title lines before the header
};

// Reads the statement: money in becomes a payment, with a reference code found in its remark;
// money out (a leading "-") and empty or zero amounts are skipped. Errors, each naming its
// line: encoding_invalid, columns_missing (also a profile column absent from the header),
// columns_extra, amount_invalid, time_invalid, value_invalid, file_truncated, line_too_long,
// and the sink's own.
std::expected<ParseTally, Error> parse_bank_statement(ByteSource& source,
                                                      const BankProfile& profile,
                                                      const LineSink& sink);

}  // namespace boai::statements
