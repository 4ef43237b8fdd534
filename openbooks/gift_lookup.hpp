// A donor's own gift by its reference (/api/gift/REF, /gift/REF): what the public export shows of
// it and no more (the masked name, never the real name, contact or message), its status, receipt
// and the ledger entries that record it, and for a red wish what the wish became.
#pragma once

#include <expected>
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "base/error.hpp"
#include "sql/connection.hpp"

namespace boai::openbooks {

// Errors: reference_invalid (not 8 characters of the reference alphabet), gift_not_found, the
// database's.
std::expected<nlohmann::json, Error> find_gift(sql::Connection& conn, const std::string& reference);

}  // namespace boai::openbooks
