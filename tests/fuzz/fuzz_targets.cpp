// The fuzz targets: besides not crashing, each checks a property that must hold for any input.
#include "tests/fuzz/fuzz_targets.hpp"

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "app/options.hpp"
#include "donations/money.hpp"
#include "donations/reference_code.hpp"
#include "donations/text_rules.hpp"
#include "sql/migrations.hpp"
#include "web/frame_peek.hpp"
#include "web/ws_messages.hpp"

namespace boai::fuzz {

void client_frame(const std::uint8_t* data, std::size_t size) {
  auto f = web::parse_client_frame(view(data, size));
  if (!f) {
    const auto& code = f.error().code;
    require(code == "bad_json" || code == "bad_request" || code == "too_deep", "stable error code");
    return;
  }
  require(f->body.is_object(), "a frame is an object");
  // What the rate limit answers with, found without parsing, is what the parser finds.
  require(web::peek_client_frame(view(data, size)).rid == f->rid, "the peeked rid is the rid");
  (void)web::string_field(*f, "text");
  (void)web::integer_field(*f, "amount_fen");
  (void)web::error_frame(f->rid, "x", "y");
}

void money(const std::uint8_t* data, std::size_t size) {
  auto m = donations::Money::parse(view(data, size));
  if (!m) {
    return;
  }
  require(m->fen() >= 0, "parsed money is never negative");
  auto again = donations::Money::parse(m->format());
  require(again && again->fen() == m->fen(), "format round-trips");
}

void reference_code(const std::uint8_t* data, std::size_t size) {
  auto code = donations::find_reference_code(view(data, size));
  if (code) {
    require(donations::is_reference_code(*code), "found codes are codes");
  }
}

void text_rules(const std::uint8_t* data, std::size_t size) {
  auto text = view(data, size);
  bool valid = donations::is_valid_utf8(text);
  auto masked = donations::mask_name(text, false);
  require(donations::is_valid_utf8(masked), "masked names are valid UTF-8");
  // A name whose hidden part is stars already ("士*", found by libFuzzer) looks the same masked:
  // nothing of it is shown.
  auto kept = masked.substr(0, masked.find_last_not_of('*') + 1);
  bool only_stars_hidden =
      text.starts_with(kept) && text.find_first_not_of("* ", kept.size()) == std::string_view::npos;
  require(masked.find(std::string(text)) == std::string::npos || text.empty() || !valid ||
              text.size() <= 3 || only_stars_hidden,
          "a masked name never shows the whole name");
  (void)donations::trim_text(text);
}

void migration_name(const std::uint8_t* data, std::size_t size) {
  (void)sql::parse_migrations({{std::string(view(data, size)), "SELECT 1;"}});
}

void command_line(const std::uint8_t* data, std::size_t size) {
  std::vector<std::string> args;
  std::string current;
  for (char c : view(data, size)) {
    if (c == '\0') {
      args.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  args.push_back(current);
  (void)app::parse_command_line(args, {{"BOAI_LISTEN", "127.0.0.1:1"}});
}

}  // namespace boai::fuzz
