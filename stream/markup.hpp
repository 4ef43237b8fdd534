// Text from people goes on the video as characters, never as Pango markup.
#pragma once

#include <string>
#include <string_view>

namespace boai::stream {

// Escapes <, >, &, quotes; invalid UTF-8 bytes become U+FFFD first so Pango never rejects a line.
std::string escape_markup(std::string_view text);

}  // namespace boai::stream
