// The Range header of a download (RFC 9110 §14): one range of bytes, "bytes=A-B", "bytes=A-" or
// "bytes=-N". Several ranges at once are answered whole, as a server may.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace boai::web {

struct ByteRange {
  std::uint64_t first = 0;
  std::uint64_t length = 0;
};

enum class RangeAnswer { kWhole, kPart, kUnsatisfiable };

struct RangeChoice {
  RangeAnswer answer = RangeAnswer::kWhole;
  ByteRange range;  // what to send (the whole file for kWhole)
};

// What to send of a file of `size` bytes for this Range header ("" when there was none). A header
// that is not a byte range is ignored (the whole file); one that starts past the end cannot be
// satisfied (416).
RangeChoice choose_range(std::string_view header, std::uint64_t size);

}  // namespace boai::web
