// The client side of RFC 6455 for bench/chat_fanout: handshake text and frame bytes.
#include "bench/chat_fanout/ws_client.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cctype>

namespace boai::bench {

namespace {

constexpr std::uint64_t kMaxFramePayload = 16 * 1024 * 1024;  // far above anything the room sends

std::string base64(const unsigned char* data, std::size_t len) {
  std::string out(4 * ((len + 2) / 3) + 1, '\0');
  int n =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(len));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

}  // namespace

std::string make_key() {
  unsigned char raw[16];
  if (RAND_bytes(raw, sizeof raw) != 1) {
    for (auto& b : raw) {
      b = static_cast<unsigned char>(std::rand());  // the key is no secret
    }
  }
  return base64(raw, sizeof raw);
}

std::string expected_accept(std::string_view key) {
  std::string text = std::string(key) + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(text.data(), text.size(), md, &len, EVP_sha1(), nullptr);
  return base64(md, len);
}

std::string upgrade_request(std::string_view host_port, std::string_view path,
                            std::string_view protocol, std::string_view key) {
  std::string r;
  r.reserve(256);
  r.append("GET ").append(path).append(" HTTP/1.1\r\nHost: ").append(host_port);
  r.append("\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n");
  r.append("Sec-WebSocket-Key: ").append(key).append("\r\n");
  if (!protocol.empty()) {
    r.append("Sec-WebSocket-Protocol: ").append(protocol).append("\r\n");
  }
  r.append("\r\n");
  return r;
}

std::string check_upgrade_response(std::string_view head, std::string_view accept,
                                   std::string_view protocol) {
  auto eol = head.find("\r\n");
  std::string_view status = head.substr(0, eol);
  if (status.substr(0, 12) != "HTTP/1.1 101") {
    return "no upgrade: " + std::string(status);
  }
  bool accept_ok = false;
  bool protocol_ok = protocol.empty();
  while (eol != std::string_view::npos) {
    auto start = eol + 2;
    eol = head.find("\r\n", start);
    std::string_view line =
        head.substr(start, eol == std::string_view::npos ? head.npos : eol - start);
    auto colon = line.find(':');
    if (colon == std::string_view::npos) {
      continue;
    }
    auto name = trim(line.substr(0, colon));
    auto value = trim(line.substr(colon + 1));
    if (iequals(name, "Sec-WebSocket-Accept")) {
      accept_ok = value == accept;
    }
    if (iequals(name, "Sec-WebSocket-Protocol")) {
      protocol_ok = value == protocol;
    }
  }
  if (!accept_ok) {
    return "wrong Sec-WebSocket-Accept";
  }
  if (!protocol_ok) {
    return "subprotocol not agreed";
  }
  return {};
}

void append_client_frame(std::string& out, Opcode opcode, std::string_view payload,
                         std::uint32_t mask) {
  out.push_back(static_cast<char>(0x80 | opcode));
  std::size_t n = payload.size();
  if (n < 126) {
    out.push_back(static_cast<char>(0x80 | n));
  } else if (n < 65536) {
    out.push_back(static_cast<char>(0x80 | 126));
    out.push_back(static_cast<char>(n >> 8));
    out.push_back(static_cast<char>(n & 0xff));
  } else {
    out.push_back(static_cast<char>(0x80 | 127));
    for (int shift = 56; shift >= 0; shift -= 8) {
      out.push_back(static_cast<char>((n >> shift) & 0xff));
    }
  }
  char key[4] = {static_cast<char>(mask >> 24), static_cast<char>(mask >> 16),
                 static_cast<char>(mask >> 8), static_cast<char>(mask)};
  out.append(key, 4);
  std::size_t at = out.size();
  out.append(payload);
  for (std::size_t i = 0; i < n; ++i) {
    out[at + i] = static_cast<char>(out[at + i] ^ key[i % 4]);
  }
}

long parse_server_frame(std::string_view in, ServerFrame& frame) {
  if (in.size() < 2) {
    return 0;
  }
  auto byte = [&](std::size_t i) { return static_cast<std::uint8_t>(in[i]); };
  if ((byte(1) & 0x80) != 0) {
    return -1;  // a server never masks
  }
  std::uint64_t len = byte(1) & 0x7f;
  std::size_t pos = 2;
  if (len == 126) {
    if (in.size() < 4) {
      return 0;
    }
    len = static_cast<std::uint64_t>(byte(2)) << 8 | byte(3);
    pos = 4;
  } else if (len == 127) {
    if (in.size() < 10) {
      return 0;
    }
    len = 0;
    for (std::size_t i = 2; i < 10; ++i) {
      len = len << 8 | byte(i);
    }
    pos = 10;
  }
  if (len > kMaxFramePayload) {
    return -1;
  }
  if (in.size() - pos < len) {
    return 0;
  }
  frame.fin = (byte(0) & 0x80) != 0;
  frame.opcode = byte(0) & 0x0f;
  frame.payload = in.substr(pos, len);
  return static_cast<long>(pos + len);
}

}  // namespace boai::bench
