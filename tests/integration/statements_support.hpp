// What the statement tests share: pledges made quickly, an import of text, local times near now
// (candidates are searched within days of the payment), and a row count.
#pragma once

#include <catch2/catch.hpp>
#include <chrono>
#include <ctime>
#include <string>

#include "donations/ledger_verify.hpp"
#include "donations/pledges.hpp"
#include "statements/exception_queue.hpp"
#include "statements/statement_import.hpp"
#include "tests/support/ledger_fixture.hpp"
#include "tests/support/statement_files.hpp"

namespace boai::test {

inline donations::Pledge must_pledge(LedgerFixture& f, const std::string& key, std::int64_t fen,
                                     const std::string& name = "张三",
                                     const std::string& contact = "13800000000") {
  auto r = f.pledge("statement-" + key, fen, name);  // keys are 8 characters or more
  r.contact = contact;
  auto batch = donations::write_pledges(f.conn, {r}, donations::PledgeLimits{});
  REQUIRE(batch);
  REQUIRE(batch->pledges[0]);
  return *batch->pledges[0];
}

// "2026-11-28 10:00:00" in China Standard Time, minutes from now.
inline std::string local_time(int minutes_from_now) {
  auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now() +
                                                std::chrono::minutes(minutes_from_now) +
                                                std::chrono::hours(8));
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  return buf;
}

inline std::expected<statements::ImportReport, Error> import_text(
    LedgerFixture& f, const std::string& provider, const std::string& text, bool post = true,
    const std::string& bank_profile = "") {
  statements::ImportRequest req;
  req.provider = provider;
  req.bank_profile = bank_profile;
  req.file_name = "test." + provider + ".csv";
  req.wechat_mchid = kMchid;
  req.alipay_seller_id = kSellerId;
  req.imported_by = "test";
  req.post = post;
  statements::TextSource source(text);
  return statements::import_statement(f.conn, req, source);
}

inline statements::ImportReport must_import(LedgerFixture& f, const std::string& provider,
                                            const std::string& text, bool post = true,
                                            const std::string& bank_profile = "") {
  auto r = import_text(f, provider, text, post, bank_profile);
  INFO((r ? std::string() : r.error().code + ": " + r.error().message));
  REQUIRE(r);
  return *r;
}

inline WechatRow wechat_paid(const std::string& txn, const std::string& ref, std::int64_t fen,
                             int minutes_from_now = 0) {
  WechatRow r;
  r.txn_id = txn;
  r.out_trade_no = ref;
  r.amount_fen = fen;
  r.fee_e5 = fen * 6;
  r.time = local_time(minutes_from_now);
  return r;
}

// An Alipay trade paid now for a pledge, and a refund of part or all of it.
inline AlipayRow alipay_paid(const std::string& trade_no, const std::string& ref,
                             std::int64_t fen) {
  AlipayRow r;
  r.trade_no = trade_no;
  r.out_trade_no = ref;
  r.finished = local_time(0);
  r.received_fen = fen;
  r.fee_fen = fen * 6 / 1000;
  return r;
}

inline AlipayRow alipay_refund(const AlipayRow& trade, std::int64_t fen, const std::string& batch) {
  AlipayRow r = trade;
  r.kind = "退款";
  r.received_fen = -fen;
  r.refund_batch = batch;
  return r;
}

inline std::int64_t scalar(LedgerFixture& f, const std::string& sql, const sql::Params& p = {}) {
  auto r = f.conn.exec(sql, p);
  REQUIRE(r);
  return r->int64(0, 0);
}

// The chain and the totals recomputed from the entries agree with what is stored.
inline void require_verified(LedgerFixture& f) {
  auto v = donations::verify_ledger(f.conn);
  REQUIRE(v);
  REQUIRE(v->ok());
}

// The open exception of this kind for this provider transaction, or nullptr.
inline const statements::QueueEntry* entry(const std::vector<statements::QueueEntry>& list,
                                           const std::string& kind, const std::string& txn) {
  for (const auto& e : list) {
    if (e.kind == kind && e.txn_id == txn) {
      return &e;
    }
  }
  return nullptr;
}

}  // namespace boai::test
