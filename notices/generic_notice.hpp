// Generic payment notices, for other gateways and the bank's own system: a JSON body signed with
// HMAC-SHA256 under a key shared with the sender. The header
//   X-Boai-Signature: t=<Unix seconds>,v1=<64 hex digits>
// carries the time and the MAC of the text "<t>\n<body>" (the decimal t as sent, one line feed,
// then the body's bytes exactly as sent).
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>

#include "base/error.hpp"
#include "notices/notice.hpp"

namespace boai::notices {

struct GenericSettings {
  std::string hmac_key;  // the shared secret, at least 32 bytes
  std::int64_t max_skew_seconds = kDefaultMaxSkewSeconds;
};

// The body:
//   {"provider": "bank",            optional: bank (default), wechat or alipay
//    "transaction_id": "...",       the sender's id of the transfer, unique per provider
//    "reference": "7KQ2MZ9D",       our pledge's reference; or empty and found in the remark
//    "amount_fen": 10000,           a whole number of fen above 0
//    "status": "paid",              "paid" means the money arrived; anything else is kept only
//    "paid_at": "2024-06-01T10:00:00+08:00",   optional, RFC 3339
//    "remark": "..."}               optional: the payer's remark
// Errors (stable codes): signature_missing, signature_invalid, timestamp_invalid,
// timestamp_stale, notice_malformed, amount_invalid.
std::expected<VerifiedNotice, Error> verify_generic_notice(const GenericSettings& settings,
                                                           std::string_view signature_header,
                                                           std::string_view body,
                                                           std::int64_t now_seconds);

// The header value a sender writes for body at time t (for tests and the documentation).
std::string generic_signature_header(std::string_view key, std::int64_t t, std::string_view body);

}  // namespace boai::notices
