// Alipay asynchronous notices (form-encoded): RSA2, that is RSA-SHA256 by Alipay's public key,
// over the decoded parameters but sign and sign_type, sorted by name and joined as k=v&k=v; our
// app_id and seller_id; total_amount in yuan.
#pragma once

#include <expected>
#include <map>
#include <string>
#include <string_view>

#include "base/error.hpp"
#include "notices/keys.hpp"
#include "notices/notice.hpp"

namespace boai::notices {

struct AlipaySettings {
  std::string app_id;
  std::string seller_id;  // empty: not checked
  PublicKey alipay_public_key;
};

// Errors (stable codes): notice_malformed, signature_missing, algorithm_unsupported,
// charset_unsupported, signature_invalid, merchant_mismatch, amount_invalid.
std::expected<VerifiedNotice, Error> verify_alipay_notice(const AlipaySettings& settings,
                                                          std::string_view body);

// The fields of a notice whose signature held (merchant, ids, state, amount, time): for
// verify_alipay_notice and the fuzz targets.
std::expected<VerifiedNotice, Error> read_alipay_fields(
    const AlipaySettings& settings, const std::map<std::string, std::string>& params,
    std::string_view body);

// The text Alipay signs from a notice's parameters; with_empty false leaves out parameters
// whose value is empty (as Alipay's Java SDK checks), true keeps them (as its Node SDK does).
std::string alipay_signed_text(const std::map<std::string, std::string>& params, bool with_empty);

}  // namespace boai::notices
