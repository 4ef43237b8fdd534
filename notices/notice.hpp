// A payment notice after its verifier believed it: who sent it, what it says was paid, and what
// is kept of it as received. The verifiers (wechat_notice, alipay_notice, generic_notice) make
// them; notice_store keeps and applies them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "donations/money.hpp"

namespace boai::notices {

struct VerifiedNotice {
  std::string via;        // the route it came by: wechat, alipay, generic
  std::string provider;   // whose transaction it is, as payments name them: wechat, alipay, bank
  std::string txn_id;     // the provider's transaction id (transaction_id, trade_no)
  std::string reference;  // our pledge's reference (out_trade_no); may be empty for generic
  donations::Money amount;
  std::string state;  // the provider's word for it: SUCCESS, TRADE_SUCCESS, paid, ...
  bool paid = false;  // whether that word means the money arrived
  std::optional<std::int64_t> paid_us;  // when, in microseconds since the epoch, if said
  std::string remark;                   // free text from the payer (generic notices)
  std::string raw_headers;              // the signed headers, "Name: value" lines
  std::string raw_body;                 // the body exactly as received
  std::string resource;                 // WeChat: the decrypted transaction JSON
};

// The skew allowed between a notice's timestamp and our clock, by default.
inline constexpr std::int64_t kDefaultMaxSkewSeconds = 300;

}  // namespace boai::notices
