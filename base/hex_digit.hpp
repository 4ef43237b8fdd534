// The value of one hexadecimal digit, either case, or -1: what the decoders of percent-escapes
// (form bodies), hex strings (keys) and COPY's \x escapes share.
#pragma once

namespace boai {

constexpr int hex_digit_value(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

}  // namespace boai
