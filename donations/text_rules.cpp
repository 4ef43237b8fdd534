// UTF-8 checks by hand (no locale), counting code points, and name masking.
#include "donations/text_rules.hpp"

namespace boai::donations {

namespace {

// Length of the UTF-8 sequence starting at text[i], or 0 when it is not a valid one
// (overlong forms, surrogates and values past U+10FFFF are invalid).
std::size_t sequence_length(std::string_view text, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char c = byte(i);
  std::size_t n = c < 0x80           ? 1
                  : (c >> 5) == 0x6  ? 2
                  : (c >> 4) == 0xE  ? 3
                  : (c >> 3) == 0x1E ? 4
                                     : 0;
  if (n == 0 || i + n > text.size()) {
    return 0;
  }
  for (std::size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) {
      return 0;
    }
  }
  if (n == 2 && c < 0xC2) {
    return 0;
  }
  if (n == 3) {
    unsigned char c1 = byte(i + 1);
    if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 >= 0xA0)) {
      return 0;
    }
  }
  if (n == 4) {
    unsigned char c1 = byte(i + 1);
    if ((c == 0xF0 && c1 < 0x90) || c > 0xF4 || (c == 0xF4 && c1 >= 0x90)) {
      return 0;
    }
  }
  return n;
}

}  // namespace

bool is_valid_utf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    std::size_t n = sequence_length(text, i);
    if (n == 0) {
      return false;
    }
    i += n;
  }
  return true;
}

bool is_storable_text(std::string_view text) {
  return text.find('\0') == std::string_view::npos && is_valid_utf8(text);
}

std::size_t char_count(std::string_view text) {
  std::size_t count = 0;
  for (unsigned char c : text) {
    count += (c & 0xC0) != 0x80 ? 1 : 0;
  }
  return count;
}

std::string trim_text(std::string_view text) {
  static constexpr std::string_view kSpaces[] = {" ", "\t", "\n", "\r", "\xE3\x80\x80"};
  for (bool again = true; again;) {
    again = false;
    for (auto sp : kSpaces) {
      if (text.starts_with(sp)) {
        text.remove_prefix(sp.size()), again = true;
      }
      if (text.ends_with(sp)) {
        text.remove_suffix(sp.size()), again = true;
      }
    }
  }
  return std::string(text);
}

std::string mask_name(std::string_view name, bool anonymous) {
  std::string trimmed = trim_text(name);
  if (anonymous || trimmed.empty() || !is_valid_utf8(trimmed)) {
    return std::string(kAnonymousName);
  }
  std::size_t first = sequence_length(trimmed, 0);
  std::size_t rest = char_count(trimmed) - 1;
  bool ascii = static_cast<unsigned char>(trimmed[0]) < 0x80;
  // Chinese names keep their surname and hide the given name; Latin ones keep an initial.
  std::size_t stars = ascii ? 3 : (rest == 0 ? 1 : std::min<std::size_t>(rest, 2));
  return trimmed.substr(0, first) + std::string(stars, '*');
}

std::expected<std::string, Error> checked_text(const char* what, const std::string& text,
                                               std::size_t max_chars, bool required) {
  if (!is_storable_text(text)) {
    return std::unexpected(
        make_error("text_invalid", std::string(what) + " is not valid UTF-8 text"));
  }
  auto trimmed = trim_text(text);
  if (required && trimmed.empty()) {
    return std::unexpected(make_error("bad_request", std::string(what) + " is empty"));
  }
  if (char_count(trimmed) > max_chars) {
    return std::unexpected(make_error("too_long", std::string(what) + " is at most " +
                                                      std::to_string(max_chars) + " characters"));
  }
  return trimmed;
}

}  // namespace boai::donations
