// Reading one byte range.
#include "web/byte_range.hpp"

#include <charconv>

namespace boai::web {
namespace {

std::optional<std::uint64_t> digits(std::string_view text) {
  std::uint64_t n = 0;
  if (text.empty()) {
    return std::nullopt;
  }
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return n;
}

}  // namespace

RangeChoice choose_range(std::string_view header, std::uint64_t size) {
  RangeChoice whole{RangeAnswer::kWhole, {0, size}};
  constexpr std::string_view kUnit = "bytes=";
  if (!header.starts_with(kUnit) || header.find(',') != std::string_view::npos) {
    return whole;
  }
  std::string_view spec = header.substr(kUnit.size());
  auto dash = spec.find('-');
  if (dash == std::string_view::npos) {
    return whole;
  }
  auto from = spec.substr(0, dash);
  auto to = spec.substr(dash + 1);
  if (from.empty()) {  // the last N bytes
    auto n = digits(to);
    if (!n) {
      return whole;
    }
    if (*n == 0 || size == 0) {
      return {RangeAnswer::kUnsatisfiable, {}};
    }
    std::uint64_t length = *n < size ? *n : size;
    return {RangeAnswer::kPart, {size - length, length}};
  }
  auto first = digits(from);
  auto last = to.empty() ? first : digits(to);
  if (!first || !last || *last < *first) {
    return whole;
  }
  if (*first >= size) {
    return {RangeAnswer::kUnsatisfiable, {}};
  }
  if (to.empty()) {
    last = size - 1;
  }
  std::uint64_t end = *last < size ? *last : size - 1;
  return {RangeAnswer::kPart, {*first, end - *first + 1}};
}

}  // namespace boai::web
