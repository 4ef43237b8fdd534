// Frames: nlohmann-json at this edge, plain strings and ints inside.
#include "web/ws_messages.hpp"

#include <cstdio>

#include "base/internal_error.hpp"
#include "web/frame_peek.hpp"

namespace boai::web {

using nlohmann::json;

std::expected<ClientFrame, Error> parse_client_frame(std::string_view text) {
  // Thousands of levels fit in 16 KiB; refused before the parser builds one value of them.
  if (peek_client_frame(text).too_deep) {
    return std::unexpected(make_error(
        "too_deep", "a frame nests at most " + std::to_string(kMaxFrameDepth) + " levels"));
  }
  json body = json::parse(text.begin(), text.end(), nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    return std::unexpected(make_error("bad_json", "a frame is one JSON object"));
  }
  auto type = body.find("type");
  if (type == body.end() || !type->is_string()) {
    return std::unexpected(make_error("bad_json", "a frame needs a string \"type\""));
  }
  ClientFrame f{type->get<std::string>(), std::nullopt, std::move(body)};
  if (auto rid = f.body.find("rid"); rid != f.body.end()) {
    if (rid->is_string() && rid->get_ref<const std::string&>().size() <= 64) {
      f.rid = rid->get<std::string>();
    } else if (rid->is_number_integer()) {
      f.rid = std::to_string(rid->get<std::int64_t>());
    } else {
      return std::unexpected(
          make_error("bad_request", "\"rid\" is a string of up to 64 characters"));
    }
  }
  return f;
}

std::expected<std::string, Error> string_field(const ClientFrame& f, const char* name,
                                               bool required) {
  auto it = f.body.find(name);
  if (it == f.body.end() || it->is_null()) {
    if (!required) {
      return std::string();
    }
    return std::unexpected(make_error("bad_request", std::string("\"") + name + "\" is required"));
  }
  if (!it->is_string()) {
    return std::unexpected(make_error("bad_request", std::string("\"") + name + "\" must be text"));
  }
  return it->get<std::string>();
}

std::expected<std::int64_t, Error> integer_field(const ClientFrame& f, const char* name,
                                                 std::optional<std::int64_t> fallback) {
  auto it = f.body.find(name);
  if (it == f.body.end() || it->is_null()) {
    if (fallback) {
      return *fallback;
    }
    return std::unexpected(make_error("bad_request", std::string("\"") + name + "\" is required"));
  }
  // Integers only: 12.5 fen or "12" are refused, never rounded.
  if (!it->is_number_integer()) {
    return std::unexpected(
        make_error("bad_request", std::string("\"") + name + "\" must be a whole number"));
  }
  return it->get<std::int64_t>();
}

bool bool_field(const ClientFrame& f, const char* name) {
  auto it = f.body.find(name);
  return it != f.body.end() && it->is_boolean() && it->get<bool>();
}

std::string error_frame(const std::optional<std::string>& rid, const std::string& code,
                        const std::string& message, json extra) {
  json j = std::move(extra);
  j["type"] = "error";
  j["code"] = code;
  j["message"] = message;
  if (is_internal_error(code)) {
    std::fprintf(stderr, "boai: room error %s: %s\n", code.c_str(), message.c_str());
    j["message"] = internal_error_sentence(code);
  }
  if (rid) {
    j["rid"] = *rid;
  }
  return j.dump();
}

std::string ack_frame(const std::optional<std::string>& rid, json extra) {
  extra["type"] = "ack";
  if (rid) {
    extra["rid"] = *rid;
  }
  return extra.dump();
}

}  // namespace boai::web
