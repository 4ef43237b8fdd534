// One byte range of a download, as RFC 9110 reads it.
#include "web/byte_range.hpp"

#include <catch2/catch.hpp>

using boai::web::choose_range;
using boai::web::RangeAnswer;

TEST_CASE("a download's Range header picks one range of bytes") {
  auto part = choose_range("bytes=0-31", 1000);
  CHECK(part.answer == RangeAnswer::kPart);
  CHECK(part.range.first == 0);
  CHECK(part.range.length == 32);
  auto open_end = choose_range("bytes=990-", 1000);
  CHECK(open_end.range.first == 990);
  CHECK(open_end.range.length == 10);
  auto suffix = choose_range("bytes=-100", 1000);
  CHECK(suffix.range.first == 900);
  CHECK(suffix.range.length == 100);
  CHECK(choose_range("bytes=-5000", 1000).range.length == 1000);
  CHECK(choose_range("bytes=10-99999", 1000).range.length == 990);  // clipped to the end
}

TEST_CASE("a Range past the end is unsatisfiable and a malformed one is ignored") {
  CHECK(choose_range("bytes=1000-", 1000).answer == RangeAnswer::kUnsatisfiable);
  CHECK(choose_range("bytes=-0", 1000).answer == RangeAnswer::kUnsatisfiable);
  CHECK(choose_range("bytes=0-", 0).answer == RangeAnswer::kUnsatisfiable);
  for (const char* ignored : {"", "bytes=", "bytes=a-b", "bytes=5-2", "items=0-1", "bytes=0-1,5-6",
                              "bytes=18446744073709551616-", "bytes=1-2-3"}) {
    INFO(ignored);
    auto whole = choose_range(ignored, 1000);
    CHECK(whole.answer == RangeAnswer::kWhole);
    CHECK(whole.range.length == 1000);
  }
}
