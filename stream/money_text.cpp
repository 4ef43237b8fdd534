// Fen formatted with thousands separators and two decimals, without floating point.
#include "stream/money_text.hpp"

namespace boai::stream {

std::string format_fen(std::int64_t fen) {
  bool negative = fen < 0;
  // Work in unsigned so that -INT64_MIN does not overflow.
  std::uint64_t magnitude =
      negative ? 0 - static_cast<std::uint64_t>(fen) : static_cast<std::uint64_t>(fen);
  std::string yuan = std::to_string(magnitude / 100);
  std::string grouped;
  int digits = 0;
  for (auto it = yuan.rbegin(); it != yuan.rend(); ++it) {
    if (digits > 0 && digits % 3 == 0) {
      grouped.insert(grouped.begin(), ',');
    }
    grouped.insert(grouped.begin(), *it);
    ++digits;
  }
  std::uint64_t cents = magnitude % 100;
  std::string out = negative ? "-" : "";
  out += "\xC2\xA5";  // ¥
  out += grouped;
  out += '.';
  out += static_cast<char>('0' + cents / 10);
  out += static_cast<char>('0' + cents % 10);
  return out;
}

}  // namespace boai::stream
