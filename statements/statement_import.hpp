// `boai reconcile import`: a statement parsed as it streams, loaded with COPY into a staging table,
// matched by set-based SQL and kept, all in one transaction (a broken file adds nothing); then
// the lines that prove money arrived are posted as payments (statement_posting.hpp).
#pragma once

#include <cstdint>
#include <expected>
#include <string>

#include "base/error.hpp"
#include "sql/connection.hpp"
#include "statements/byte_source.hpp"

namespace boai::statements {

struct ImportRequest {
  std::string provider;      // wechat, alipay, bank
  std::string bank_profile;  // for bank: a row of bank_profiles
  std::string file_name;     // kept with the import, for people
  std::string wechat_mchid;  // the station's WeChat Pay merchant number
  std::string alipay_seller_id;
  std::string imported_by;
  int overdue_days = 7;  // a pledge with no payment after this many days goes on the list
  bool post = true;      // post the lines that prove money arrived (record_payment)
};

struct ImportReport {
  std::int64_t import_id = 0;
  std::int64_t rows_read = 0;   // data rows in the file
  std::int64_t new_lines = 0;   // lines kept (not seen before)
  std::int64_t matched = 0;     // new lines matched to a payment or a pledge without a question
  std::int64_t exceptions = 0;  // new lines that went to the exception queue
  std::int64_t skipped = 0;     // rows that move no money of ours, or were imported before
  std::int64_t overdue_added = 0;
  std::int64_t posted = 0;       // payments recorded from this import's lines
  std::int64_t post_failed = 0;  // lines record_payment refused (each now an exception)
};

// Errors: provider_invalid, merchant_not_configured, bank_profile_not_found, the parser's
// (wechat_bill.hpp, alipay_bill.hpp, bank_statement.hpp), db_unavailable.
std::expected<ImportReport, Error> import_statement(sql::Connection& conn,
                                                    const ImportRequest& request,
                                                    ByteSource& source);

}  // namespace boai::statements
