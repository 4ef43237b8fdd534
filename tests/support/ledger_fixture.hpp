// A migrated database with a live campaign and two funds, for ledger tests.
#pragma once

#include <string>

#include "donations/records.hpp"
#include "sql/connection.hpp"

namespace boai::test {

struct LedgerFixture {
  std::string url;
  sql::Connection conn;
  donations::Campaign campaign;  // "firstaid", live, goal ¥50,000, funds general + aed

  static LedgerFixture make(const std::string& hint);
  std::int64_t count(const std::string& table);  // table is one of our own names
  donations::PledgeRequest pledge(const std::string& key, std::int64_t fen,
                                  const std::string& name = "张三");
};

}  // namespace boai::test
