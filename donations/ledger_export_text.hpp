// Internal to donations/: the public export's text, one entry at a time: a CSV line (RFC 4180
// quoting) and a JSON object laid out as nlohmann's dump(2) lays it out inside the document.
#pragma once

#include <string>
#include <string_view>

#include "donations/ledger_hash.hpp"

namespace boai::donations::detail {

inline constexpr const char* kCsvHeader =
    "seq,kind,recorded_us,campaign,fund,pledge,payment,object,amount_fen,amount_yuan,"
    "public_name,reference,memo,prev_hash,entry_hash\n";

void append_csv_entry(const LedgerEntry& e, std::string& out);

// A JSON string, escaped as nlohmann escapes it (UTF-8 kept as it is).
void append_json_string(std::string_view text, std::string& out);
// The entry as an element of the document's "entries" array (indented 4, fields at 6).
void append_json_entry(const LedgerEntry& e, std::string& out);

}  // namespace boai::donations::detail
