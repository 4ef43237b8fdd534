// Bank profiles: checked, then stored by name.
#include "statements/bank_profiles.hpp"

#include "donations/text_rules.hpp"
#include "sql/transaction.hpp"

namespace boai::statements {

using sql::params;

namespace {

constexpr const char* kColumns =
    "name, date_column, amount_column, counterparty_column, remark_column, txn_column, encoding, "
    "skip_lines";

BankProfile profile_of(const sql::Result& r, int row) {
  BankProfile p;
  p.name = r.text(row, 0);
  p.date_column = r.text(row, 1);
  p.amount_column = r.text(row, 2);
  p.counterparty_column = r.text(row, 3);
  p.remark_column = r.text(row, 4);
  p.txn_column = r.text(row, 5);
  p.encoding = r.text(row, 6);
  p.skip_lines = static_cast<int>(r.int64(row, 7));
  return p;
}

}  // namespace

std::expected<BankProfile, Error> save_bank_profile(sql::Connection& conn,
                                                    const BankProfile& profile) {
  for (const auto* text : {&profile.name, &profile.date_column, &profile.amount_column,
                           &profile.counterparty_column, &profile.remark_column}) {
    if (donations::trim_text(*text).empty()) {
      return std::unexpected(make_error(
          "bad_request", "a bank profile names its date, amount, counterparty and remark columns"));
    }
  }
  for (const auto* text :
       {&profile.name, &profile.date_column, &profile.amount_column, &profile.counterparty_column,
        &profile.remark_column, &profile.txn_column}) {
    if (!donations::is_storable_text(*text) || text->size() > 200) {
      return std::unexpected(make_error("text_invalid", "a column name is not UTF-8 or too long"));
    }
  }
  if ((profile.encoding != "utf-8" && profile.encoding != "gbk") || profile.skip_lines < 0 ||
      profile.skip_lines > 100) {
    return std::unexpected(
        make_error("bad_request", "the encoding is utf-8 or gbk, and 0 to 100 lines are skipped"));
  }
  auto r = conn.exec(
      "INSERT INTO bank_profiles (" + std::string(kColumns) +
          ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (name) DO UPDATE SET "
          "date_column = $2, amount_column = $3, counterparty_column = $4, remark_column = $5, "
          "txn_column = $6, encoding = $7, skip_lines = $8, updated_at = now()",
      params(profile.name, profile.date_column, profile.amount_column, profile.counterparty_column,
             profile.remark_column, profile.txn_column, profile.encoding, profile.skip_lines));
  if (!r) {
    return std::unexpected(sql::db_failure(r.error()));
  }
  return profile;
}

std::expected<BankProfile, Error> find_bank_profile(sql::Connection& conn,
                                                    const std::string& name) {
  auto r = conn.exec("SELECT " + std::string(kColumns) + " FROM bank_profiles WHERE name = $1",
                     params(name));
  if (!r) {
    return std::unexpected(sql::db_failure(r.error()));
  }
  if (r->rows() == 0) {
    return std::unexpected(make_error("bank_profile_not_found", "no bank profile " + name));
  }
  return profile_of(*r, 0);
}

std::expected<std::vector<BankProfile>, Error> list_bank_profiles(sql::Connection& conn) {
  auto r = conn.exec("SELECT " + std::string(kColumns) + " FROM bank_profiles ORDER BY name");
  if (!r) {
    return std::unexpected(sql::db_failure(r.error()));
  }
  std::vector<BankProfile> out;
  for (int i = 0; i < r->rows(); ++i) {
    out.push_back(profile_of(*r, i));
  }
  return out;
}

}  // namespace boai::statements
