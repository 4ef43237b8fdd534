// The verifiers' shared field readers.
#include "notices/notice_fields.hpp"

#include "donations/payments.hpp"
#include "donations/text_rules.hpp"
#include "notices/notice_time.hpp"

namespace boai::notices {

std::optional<std::string> text_field(const nlohmann::json& j, const char* name) {
  if (!j.is_object()) {
    return std::nullopt;
  }
  auto it = j.find(name);
  if (it == j.end() || !it->is_string()) {
    return std::nullopt;
  }
  return it->get<std::string>();
}

bool is_identifier(std::string_view text) {
  if (text.empty() || text.size() > 128 || !donations::is_valid_utf8(text)) {
    return false;
  }
  for (unsigned char c : text) {
    if (c < 0x20 || c == 0x7f) {
      return false;
    }
  }
  return true;
}

std::optional<std::string> id_field(const nlohmann::json& j, const char* name) {
  auto text = text_field(j, name);
  return text && is_identifier(*text) ? text : std::nullopt;
}

std::expected<donations::Money, Error> fen_field(const nlohmann::json& j, const char* name) {
  auto it = j.is_object() ? j.find(name) : j.end();
  if (!j.is_object() || it == j.end() || !it->is_number_integer()) {
    return fail("amount_invalid", std::string(name) + " is not a whole number of fen");
  }
  // Read as signed: a huge unsigned value must not wrap into a small one.
  if (it->is_number_unsigned() && it->get<std::uint64_t>() > INT64_MAX) {
    return fail("amount_invalid", std::string(name) + " is out of range");
  }
  auto fen = it->get<std::int64_t>();
  if (fen <= 0 || fen > donations::kMaxPayment.fen()) {
    return fail("amount_invalid", std::string(name) + " is not more than 0 and at most " +
                                      donations::kMaxPayment.format());
  }
  return donations::Money::from_fen(fen);
}

std::expected<void, Error> check_timestamp(std::string_view text, std::int64_t now_seconds,
                                           std::int64_t max_skew_seconds) {
  auto stamp = parse_unix_seconds(text);
  if (!stamp) {
    return fail("timestamp_invalid", "the timestamp is not a Unix time in seconds");
  }
  auto skew = *stamp > now_seconds ? *stamp - now_seconds : now_seconds - *stamp;
  if (skew > max_skew_seconds) {
    return fail("timestamp_stale", "the timestamp is " + std::to_string(skew) +
                                       " s away from our clock (at most " +
                                       std::to_string(max_skew_seconds) + " s)");
  }
  return {};
}

}  // namespace boai::notices
