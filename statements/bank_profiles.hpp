// The bank profiles the desk keeps (the bank_profiles table): one CSV layout per bank.
#pragma once

#include <expected>
#include <optional>
#include <vector>

#include "base/error.hpp"
#include "sql/connection.hpp"
#include "statements/bank_statement.hpp"

namespace boai::statements {

// Adds or replaces a profile. Errors: bad_request (a column name missing, an encoding other than
// utf-8 or gbk, skip_lines outside 0..100), text_invalid, db_unavailable.
std::expected<BankProfile, Error> save_bank_profile(sql::Connection& conn,
                                                    const BankProfile& profile);
// Errors: bank_profile_not_found, db_unavailable.
std::expected<BankProfile, Error> find_bank_profile(sql::Connection& conn, const std::string& name);
std::expected<std::vector<BankProfile>, Error> list_bank_profiles(sql::Connection& conn);

}  // namespace boai::statements
