// What can be learnt of a client frame without building it: whether it nests deeper than any
// boai.v1 frame does, and its request id. One pass of nlohmann's SAX parser, which keeps no tree,
// so a frame refused by the rate limit, or one of thousands of levels, costs no allocations.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace boai::web {

// Deeper than any frame of the protocol (mod.blocked_words is two levels), with room to spare.
inline constexpr int kMaxFrameDepth = 8;

struct FramePeek {
  bool too_deep = false;
  std::optional<std::string> rid;  // a top-level "rid", as parse_client_frame reads it
};

// Stops at the first level past max_depth; malformed JSON is left for the parser to name.
FramePeek peek_client_frame(std::string_view text, int max_depth = kMaxFrameDepth);

}  // namespace boai::web
