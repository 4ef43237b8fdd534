// Generic notices: the header's parts, the MAC compared in constant time, then the JSON.
#include "notices/generic_notice.hpp"

#include <nlohmann/json.hpp>

#include "donations/reference_code.hpp"
#include "donations/text_rules.hpp"
#include "notices/crypto.hpp"
#include "notices/notice_fields.hpp"
#include "notices/notice_time.hpp"

namespace boai::notices {

namespace {

using nlohmann::json;

struct SignatureParts {
  std::string t;
  std::string v1;
};

// "t=1718000000,v1=ab12..." in that order, nothing else.
std::optional<SignatureParts> split_header(std::string_view header) {
  auto comma = header.find(',');
  if (comma == std::string_view::npos || !header.starts_with("t=") ||
      header.substr(comma + 1, 3) != "v1=") {
    return std::nullopt;
  }
  return SignatureParts{std::string(header.substr(2, comma - 2)),
                        std::string(header.substr(comma + 4))};
}

std::expected<void, Error> check_signature(const GenericSettings& settings, std::string_view header,
                                           std::string_view body, std::int64_t now_seconds) {
  if (header.empty()) {
    return fail("signature_missing", "the X-Boai-Signature header is required");
  }
  auto parts = split_header(header);
  if (!parts) {
    return fail("signature_invalid", "X-Boai-Signature is not t=<seconds>,v1=<hex>");
  }
  if (auto skew = check_timestamp(parts->t, now_seconds, settings.max_skew_seconds); !skew) {
    return std::unexpected(skew.error());
  }
  auto mac = hex_decode(parts->v1);
  std::string text = parts->t + "\n" + std::string(body);
  if (!mac || !same_bytes(*mac, hmac_sha256(settings.hmac_key, text))) {
    return fail("signature_invalid", "the signature does not match the body");
  }
  return {};
}

std::expected<VerifiedNotice, Error> read_body(const json& j) {
  VerifiedNotice n;
  n.via = "generic";
  n.provider = j.contains("provider") ? text_field(j, "provider").value_or("?") : "bank";
  if (n.provider != "bank" && n.provider != "wechat" && n.provider != "alipay") {
    return fail("notice_malformed", "provider is bank, wechat or alipay");
  }
  auto txn = id_field(j, "transaction_id");
  auto status = id_field(j, "status");
  auto reference =
      j.contains("reference") ? text_field(j, "reference") : std::optional<std::string>("");
  auto remark = j.contains("remark") ? text_field(j, "remark") : std::optional<std::string>("");
  if (!txn || !status || !reference || reference->size() > 128 || !remark ||
      donations::char_count(*remark) > 500 || !donations::is_storable_text(*remark)) {
    return fail("notice_malformed",
                "transaction_id and status are required; reference and remark are text");
  }
  n.txn_id = *txn;
  n.state = *status;
  n.paid = n.state == "paid";
  n.remark = *remark;
  n.reference =
      reference->empty() ? donations::find_reference_code(n.remark).value_or("") : *reference;
  if (!n.reference.empty() && !is_identifier(n.reference)) {
    return fail("notice_malformed", "reference is not an identifier");
  }
  auto amount = fen_field(j, "amount_fen");
  if (!amount) {
    return std::unexpected(amount.error());
  }
  n.amount = *amount;
  if (j.contains("paid_at")) {
    auto when = text_field(j, "paid_at");
    n.paid_us = when ? parse_rfc3339_us(*when) : std::nullopt;
    if (!n.paid_us) {
      return fail("notice_malformed", "paid_at is not an RFC 3339 time");
    }
  }
  return n;
}

}  // namespace

std::string generic_signature_header(std::string_view key, std::int64_t t, std::string_view body) {
  std::string stamp = std::to_string(t);
  return "t=" + stamp + ",v1=" + hex_encode(hmac_sha256(key, stamp + "\n" + std::string(body)));
}

std::expected<VerifiedNotice, Error> verify_generic_notice(const GenericSettings& settings,
                                                           std::string_view signature_header,
                                                           std::string_view body,
                                                           std::int64_t now_seconds) {
  if (auto signed_ok = check_signature(settings, signature_header, body, now_seconds); !signed_ok) {
    return std::unexpected(signed_ok.error());
  }
  auto j = json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !donations::is_storable_text(body)) {
    return fail("notice_malformed", "the body is not a JSON object");
  }
  auto notice = read_body(j);
  if (!notice) {
    return notice;
  }
  notice->raw_body = std::string(body);
  notice->raw_headers = "X-Boai-Signature: " + std::string(signature_header) + "\n";
  return notice;
}

}  // namespace boai::notices
