// Keeping verified notices and applying each exactly once: the notice is stored as received
// (committed) before anything else, then decided: applied as a payment through
// donations::record_payment, kept as not paid, or left in the exception queue.
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "donations/money.hpp"
#include "notices/notice.hpp"
#include "sql/connection.hpp"

namespace boai::notices {

struct NoticeResult {
  std::int64_t notice_id = 0;
  // applied, not_paid, or the exception queue's unknown_reference, amount_differs, not_payable,
  // conflict (docs/FINANCE.md).
  std::string outcome;
  std::string detail;
  std::optional<std::int64_t> payment_id;
  std::optional<std::int64_t> campaign_id;  // the paid pledge's, when applied
  bool repeated = false;  // delivered before and decided then: nothing changed now
};

// Errors: the database's; the notice may then be stored as received, and its next delivery
// decides it.
std::expected<NoticeResult, Error> keep_and_apply(sql::Connection& conn,
                                                  const VerifiedNotice& notice);

// Whether an outcome waits for finance (the exception queue).
bool is_exception(const std::string& outcome);

struct StoredNotice {
  std::int64_t id = 0;
  std::string via;
  std::string provider;
  std::string txn_id;
  std::string state;
  donations::Money amount;
  std::string outcome;
  std::string detail;
  std::int64_t deliveries = 0;
  std::string received_at;  // Asia/Shanghai, "2024-06-01 10:00:00"
};

// The notices that named a reference, oldest first.
std::expected<std::vector<StoredNotice>, Error> notices_for_reference(sql::Connection& conn,
                                                                      const std::string& reference);

}  // namespace boai::notices
