// The boai.v1 protocol's frames as data: parsing what a client sends (with stable error codes) and
// writing what the server sends. web/PROTOCOL.md is the reference; this file follows it.
#pragma once

#include <cstdint>
#include <expected>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "base/error.hpp"

namespace boai::web {

// A parsed client frame: its type, its request id (if any) and the whole object.
struct ClientFrame {
  std::string type;
  std::optional<std::string> rid;
  nlohmann::json body;
};

// Errors: bad_json (not JSON, not an object, no string "type"), bad_request (a bad "rid"),
// too_deep (nested past kMaxFrameDepth levels, refused before parsing).
std::expected<ClientFrame, Error> parse_client_frame(std::string_view text);

// Field readers for handlers; errors are bad_request naming the field.
std::expected<std::string, Error> string_field(const ClientFrame& f, const char* name,
                                               bool required = true);
std::expected<std::int64_t, Error> integer_field(const ClientFrame& f, const char* name,
                                                 std::optional<std::int64_t> fallback = {});
bool bool_field(const ClientFrame& f, const char* name);

std::string error_frame(const std::optional<std::string>& rid, const std::string& code,
                        const std::string& message,
                        nlohmann::json extra = nlohmann::json::object());
std::string ack_frame(const std::optional<std::string>& rid,
                      nlohmann::json extra = nlohmann::json::object());

}  // namespace boai::web
