// peek_client_frame: a SAX handler that counts levels and keeps the top-level "rid".
#include "web/frame_peek.hpp"

#include <cstdint>
#include <nlohmann/json.hpp>

namespace boai::web {

namespace {

using json = nlohmann::json;

class PeekHandler final : public nlohmann::json_sax<json> {
 public:
  PeekHandler(FramePeek& out, int max_depth) : out_(out), max_depth_(max_depth) {}

  bool null() override { return value_seen(); }
  bool boolean(bool) override { return value_seen(); }
  bool number_integer(number_integer_t v) override { return rid_number(v); }
  // As parse_client_frame reads an integer rid: as a signed 64-bit number.
  bool number_unsigned(number_unsigned_t v) override {
    return rid_number(static_cast<std::int64_t>(v));
  }
  bool number_float(number_float_t, const string_t&) override { return value_seen(); }
  bool string(string_t& v) override {
    if (rid_next()) {
      out_.rid = v.size() <= 64 ? std::optional<std::string>(v) : std::nullopt;
    }
    return value_seen();
  }
  bool binary(binary_t&) override { return value_seen(); }
  bool start_object(std::size_t) override { return deeper(); }
  bool key(string_t& k) override {
    key_is_rid_ = depth_ == 1 && k == "rid";
    return true;
  }
  bool end_object() override { return shallower(); }
  bool start_array(std::size_t) override { return deeper(); }
  bool end_array() override { return shallower(); }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    return false;
  }

 private:
  bool rid_next() const { return depth_ == 1 && key_is_rid_; }
  bool value_seen() {
    key_is_rid_ = false;
    return true;
  }
  bool rid_number(std::int64_t v) {
    if (rid_next()) {
      out_.rid = std::to_string(v);
    }
    return value_seen();
  }
  bool deeper() {
    key_is_rid_ = false;
    if (++depth_ > max_depth_) {
      out_.too_deep = true;
      return false;  // stops the parse here: the rest is never read
    }
    return true;
  }
  bool shallower() {
    --depth_;
    return true;
  }

  FramePeek& out_;
  int max_depth_;
  int depth_ = 0;
  bool key_is_rid_ = false;
};

}  // namespace

FramePeek peek_client_frame(std::string_view text, int max_depth) {
  FramePeek out;
  PeekHandler handler(out, max_depth);
  json::sax_parse(text.begin(), text.end(), &handler, json::input_format_t::json, true);
  return out;
}

}  // namespace boai::web
