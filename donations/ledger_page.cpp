// A ledger page: ledger_stream's entries written by the export's own JSON writer, as they come.
#include "donations/ledger_page.hpp"

#include <charconv>

#include "donations/ledger_export_text.hpp"
#include "donations/ledger_stream.hpp"

namespace boai::donations {

std::expected<LedgerPage, Error> public_ledger_page(sql::Connection& conn, std::int64_t after_seq,
                                                    std::int64_t limit) {
  if (after_seq < 0 || limit < 1 || limit > kLedgerPageMax) {
    return std::unexpected(make_error(
        "bad_request", "after_seq is 0 or more, limit 1 to " + std::to_string(kLedgerPageMax)));
  }
  LedgerPage page;
  page.next_after_seq = after_seq;
  page.json = "{\n  \"entries\": [";
  auto n = for_each_entry(conn, after_seq, limit, [&page](const LedgerEntry& e) {
    page.json += page.entries == 0 ? "\n" : ",\n";
    detail::append_json_entry(e, page.json);
    page.next_after_seq = e.seq;
    ++page.entries;
  });
  if (!n) {
    return std::unexpected(n.error());
  }
  page.json += page.entries == 0 ? "],\n" : "\n  ],\n";
  char digits[24];
  auto end = std::to_chars(digits, digits + sizeof digits, page.next_after_seq).ptr;
  page.json += "  \"next_after_seq\": " + std::string(digits, end) + "\n}\n";
  return page;
}

}  // namespace boai::donations
