// The payments a pledge received, for the desk's `boai pledge show`.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "donations/money.hpp"
#include "sql/connection.hpp"

namespace boai::donations {

struct PaymentLine {
  std::int64_t id = 0;
  std::string provider;
  std::string provider_txn_id;
  Money amount;
  Money fee;
  std::string paid_at;  // Asia/Shanghai, "2024-06-01 10:00:00"
};

// Oldest first.
std::expected<std::vector<PaymentLine>, Error> pledge_payments(sql::Connection& conn,
                                                               std::int64_t pledge_id);

}  // namespace boai::donations
