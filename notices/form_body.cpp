// Form bodies: strict percent-decoding, since what was decoded is what the signature covers.
#include "notices/form_body.hpp"

#include <optional>

#include "base/hex_digit.hpp"

namespace boai::notices {

namespace {

std::optional<std::string> decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%') {
      int hi = i + 2 < text.size() ? hex_digit_value(text[i + 1]) : -1;
      int lo = i + 2 < text.size() ? hex_digit_value(text[i + 2]) : -1;
      if (hi < 0 || lo < 0) {
        return std::nullopt;
      }
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

Error malformed(const std::string& why) {
  return make_error("notice_malformed", "the form body " + why);
}

}  // namespace

std::expected<std::map<std::string, std::string>, Error> parse_form_body(std::string_view body) {
  std::map<std::string, std::string> fields;
  while (!body.empty()) {
    auto amp = body.find('&');
    auto pair = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view() : body.substr(amp + 1);
    if (pair.empty()) {
      continue;
    }
    auto eq = pair.find('=');
    auto name = decode(pair.substr(0, eq));
    auto value = decode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1));
    if (!name || !value) {
      return std::unexpected(malformed("has a bad %-escape"));
    }
    if (name->empty()) {
      return std::unexpected(malformed("has a value without a name"));
    }
    if (!fields.emplace(std::move(*name), std::move(*value)).second) {
      return std::unexpected(malformed("names a field twice"));
    }
  }
  return fields;
}

std::string form_encode(const std::map<std::string, std::string>& fields) {
  auto escape = [](const std::string& s) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
      bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                   c == '-' || c == '_' || c == '.' || c == '~';
      if (plain) {
        out.push_back(static_cast<char>(c));
      } else {
        out += {'%', kHex[c >> 4], kHex[c & 15]};
      }
    }
    return out;
  };
  std::string out;
  for (const auto& [name, value] : fields) {
    out += (out.empty() ? "" : "&") + escape(name) + "=" + escape(value);
  }
  return out;
}

}  // namespace boai::notices
