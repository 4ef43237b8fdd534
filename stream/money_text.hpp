// Fen as people read them on the overlay ("¥1,234.50"), in integers only.
#pragma once

#include <cstdint>
#include <string>

namespace boai::stream {

// Negative amounts get a leading minus; INT64_MIN is handled without overflow.
std::string format_fen(std::int64_t fen);

}  // namespace boai::stream
