// The public page's lists, newest first and a page at a time by keyset: every expenditure with
// its purpose, payee, approver, evidence and ledger entry; every red wish the station accepted
// with its gifts and the spending that fulfilled it.
#pragma once

#include <cstdint>
#include <expected>
#include <nlohmann/json_fwd.hpp>

#include "base/error.hpp"
#include "sql/connection.hpp"

namespace boai::openbooks {

inline constexpr std::int64_t kPublicListMax = 100;

// {expenditures: [...], next_before_id}; before_id 0: from the newest. Errors: the database's.
std::expected<nlohmann::json, Error> expenditure_page(sql::Connection& conn, std::int64_t before_id,
                                                      std::int64_t limit);

// {wishes: [...], next_before_id}: approved, funded and fulfilled wishes (never pending or
// rejected ones), the requester masked, no contact. Errors: the database's.
std::expected<nlohmann::json, Error> wish_page(sql::Connection& conn, std::int64_t before_id,
                                               std::int64_t limit);

}  // namespace boai::openbooks
