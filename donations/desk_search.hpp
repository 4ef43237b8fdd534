// What the finance desk searches: pledges and payments, newest first, a page at a time (keyset on
// the id, so a page is an index range however long the books grow). Staff only: rows carry the
// donor's real name and contact. Blocking: run on a worker thread.
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "donations/money.hpp"
#include "sql/connection.hpp"

namespace boai::donations {

inline constexpr int kDeskPageMax = 200;

struct PledgeFilter {
  std::string text;      // a reference, or part of a donor's name or contact; "" for all
  std::string status;    // pledged, part_paid, paid, cancelled, expired, refunded; "" for all
  std::string campaign;  // slug; "" for all
  std::optional<std::int64_t> before_id;  // the page after the one that ended at this id
  int limit = 50;
};

struct DeskPledge {
  std::int64_t id = 0;
  std::string reference;
  std::int64_t created_us = 0;
  std::string campaign;  // slug
  std::string fund;      // slug
  std::string kind;      // gift, wish, sale
  Money amount, paid, refunded;
  std::string status;
  std::string channel;
  std::string donor_name;  // as given: the desk sees it even when the public does not
  bool anonymous = false;  // the public sees 爱心人士
  std::string contact;
  int payments = 0;
};

struct PaymentFilter {
  std::string text;      // a transaction id, a pledge reference or part of the payer's remark
  std::string provider;  // wechat, alipay, bank, cash; "" for all
  bool unmatched_only = false;
  std::optional<std::int64_t> before_id;
  int limit = 50;
};

struct DeskPayment {
  std::int64_t id = 0;
  std::string provider;
  std::string txn_id;
  Money amount, fee;
  std::int64_t paid_us = 0;
  std::string reference;  // the pledge's, "" when it matched none
  std::string payer_remark;
};

// Errors: bad_request (an unknown status or provider, a limit outside 1..kDeskPageMax), db_*.
std::expected<std::vector<DeskPledge>, Error> search_pledges(sql::Connection& conn,
                                                             const PledgeFilter& filter);
std::expected<std::vector<DeskPayment>, Error> search_payments(sql::Connection& conn,
                                                               const PaymentFilter& filter);

}  // namespace boai::donations
