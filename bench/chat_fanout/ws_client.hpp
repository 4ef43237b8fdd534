// The client side of RFC 6455 that bench/chat_fanout needs: the upgrade request and its answer,
// masked client frames, and parsing the server's unmasked frames. No I/O here.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace boai::bench {

enum Opcode : std::uint8_t {
  kContinuation = 0x0,
  kText = 0x1,
  kBinary = 0x2,
  kClose = 0x8,
  kPing = 0x9,
  kPong = 0xA,
};

// A fresh Sec-WebSocket-Key (16 random bytes, base64).
std::string make_key();

// What the server must answer in Sec-WebSocket-Accept for `key`.
std::string expected_accept(std::string_view key);

// The upgrade request; `protocol` may be empty.
std::string upgrade_request(std::string_view host_port, std::string_view path,
                            std::string_view protocol, std::string_view key);

// Checks a complete response head (up to and including the blank line): 101, the accept value
// and the subprotocol. Returns an empty string when it is a good upgrade, else what is wrong.
std::string check_upgrade_response(std::string_view head, std::string_view accept,
                                   std::string_view protocol);

// Appends one final frame with the given opcode, masked with `mask` as a client must.
void append_client_frame(std::string& out, Opcode opcode, std::string_view payload,
                         std::uint32_t mask);

struct ServerFrame {
  bool fin = false;
  std::uint8_t opcode = 0;
  std::string_view payload;
};

// Parses one frame from the start of `in`. Returns the bytes it used, 0 when the frame is not
// complete yet, or -1 when it is not a frame a server may send (masked, or absurdly long).
long parse_server_frame(std::string_view in, ServerFrame& frame);

}  // namespace boai::bench
