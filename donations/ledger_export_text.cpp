// The export's per-entry text, written by hand: millions of entries go through here, and a
// nlohmann object per entry cost more than reading the ledger (issue #18).
#include "donations/ledger_export_text.hpp"

#include <charconv>

#include "donations/money.hpp"

namespace boai::donations::detail {

namespace {

void append_number(std::int64_t value, std::string& out) {
  char digits[24];
  out.append(digits, std::to_chars(digits, digits + sizeof digits, value).ptr);
}

void append_csv_field(std::string_view text, std::string& out) {
  if (text.find_first_of(",\"\n\r") == std::string_view::npos) {
    out += text;
    return;
  }
  out += '"';
  for (char c : text) {
    if (c == '"') {
      out += '"';
    }
    out += c;
  }
  out += '"';
}

void append_csv_id(const std::optional<std::int64_t>& v, std::string& out) {
  if (v) {
    append_number(*v, out);
  }
}

void append_json_id(const std::optional<std::int64_t>& v, std::string& out) {
  if (v) {
    append_number(*v, out);
  } else {
    out += "null";
  }
}

}  // namespace

void append_csv_entry(const LedgerEntry& e, std::string& out) {
  append_number(e.seq, out);
  out += ',';
  append_csv_field(e.kind, out);
  out += ',';
  append_number(e.recorded_us, out);
  out += ',';
  append_csv_id(e.campaign_id, out);
  out += ',';
  append_number(e.fund_id, out);
  out += ',';
  append_csv_id(e.pledge_id, out);
  out += ',';
  append_csv_id(e.payment_id, out);
  out += ',';
  append_csv_id(e.object_id, out);
  out += ',';
  append_number(e.amount_fen, out);
  out += ',';
  out += Money::from_fen(e.amount_fen).format_plain();
  out += ',';
  append_csv_field(e.public_name, out);
  out += ',';
  append_csv_field(e.reference, out);
  out += ',';
  append_csv_field(e.memo, out);
  out += ',';
  out += e.prev_hash;
  out += ',';
  out += e.entry_hash;
  out += '\n';
}

void append_json_string(std::string_view text, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += "\\u00";
          out += kHex[(c >> 4) & 0xF];
          out += kHex[c & 0xF];
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

void append_json_entry(const LedgerEntry& e, std::string& out) {
  // The keys in nlohmann's order (sorted), as the export wrote them before it streamed.
  out += "    {\n      \"amount_fen\": ";
  append_number(e.amount_fen, out);
  out += ",\n      \"campaign\": ";
  append_json_id(e.campaign_id, out);
  out += ",\n      \"entry_hash\": ";
  append_json_string(e.entry_hash, out);
  out += ",\n      \"fund\": ";
  append_number(e.fund_id, out);
  out += ",\n      \"kind\": ";
  append_json_string(e.kind, out);
  out += ",\n      \"memo\": ";
  append_json_string(e.memo, out);
  out += ",\n      \"object\": ";
  append_json_id(e.object_id, out);
  out += ",\n      \"payment\": ";
  append_json_id(e.payment_id, out);
  out += ",\n      \"pledge\": ";
  append_json_id(e.pledge_id, out);
  out += ",\n      \"prev_hash\": ";
  append_json_string(e.prev_hash, out);
  out += ",\n      \"public_name\": ";
  append_json_string(e.public_name, out);
  out += ",\n      \"recorded_us\": ";
  append_number(e.recorded_us, out);
  out += ",\n      \"reference\": ";
  append_json_string(e.reference, out);
  out += ",\n      \"seq\": ";
  append_number(e.seq, out);
  out += "\n    }";
}

}  // namespace boai::donations::detail
