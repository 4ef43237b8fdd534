// parse_bank_statement: the profile's columns found in the header by name, then one line per row.
#include "statements/bank_statement.hpp"

#include <glib.h>

#include <optional>

#include "donations/reference_code.hpp"
#include "statements/bill_fields.hpp"
#include "statements/column_check.hpp"
#include "statements/csv_reader.hpp"

namespace boai::statements {

namespace {

struct Columns {
  std::size_t width = 0;
  std::size_t date = 0, amount = 0, counterparty = 0, remark = 0;
  std::optional<std::size_t> txn;
};

std::expected<Columns, Error> find_columns(const CsvRecord& header, const BankProfile& p) {
  for (const auto& f : header.fields) {
    if (auto ok = check_utf8(f, header.line); !ok) {
      return std::unexpected(ok.error());
    }
  }
  auto index = [&](const std::string& name) -> std::optional<std::size_t> {
    for (std::size_t i = 0; i < header.fields.size(); ++i) {
      if (bill_value(header.fields[i]) == name) {
        return i;
      }
    }
    return std::nullopt;
  };
  Columns c;
  c.width = header.fields.size();
  const std::pair<const std::string*, std::size_t*> wanted[] = {
      {&p.date_column, &c.date},
      {&p.amount_column, &c.amount},
      {&p.counterparty_column, &c.counterparty},
      {&p.remark_column, &c.remark}};
  for (auto [name, slot] : wanted) {
    auto i = index(*name);
    if (!i) {
      return std::unexpected(
          line_error(header.line, "columns_missing",
                     "the header has no column \"" + *name + "\" (profile " + p.name + ")"));
    }
    *slot = *i;
  }
  if (!p.txn_column.empty()) {
    c.txn = index(p.txn_column);
    if (!c.txn) {
      return std::unexpected(line_error(header.line, "columns_missing",
                                        "the header has no column \"" + p.txn_column + "\""));
    }
  }
  return c;
}

// A digest of what the line says, for a bank that gives no serial number.
std::string content_digest(const StatementLine& l) {
  std::string text = std::to_string(l.occurred_us) + "\n" + std::to_string(l.amount.fen()) + "\n" +
                     l.counterparty + "\n" + l.remark;
  gchar* hex = g_compute_checksum_for_string(G_CHECKSUM_SHA256, text.c_str(),
                                             static_cast<gssize>(text.size()));
  std::string out = "h:" + std::string(hex, 32);
  g_free(hex);
  return out;
}

std::expected<void, Error> bank_row(const CsvRecord& r, const Columns& c, ParseTally& tally,
                                    StatementLine& line, const LineSink& sink) {
  if (r.fields.size() == 1 && trimmed(r.fields[0]).empty()) {
    return {};  // a blank line
  }
  if (auto w = check_width(r, c.width); !w) {
    return w;
  }
  for (const auto& f : r.fields) {
    if (auto ok = check_utf8(f, r.line); !ok) {
      return ok;
    }
  }
  ++tally.rows;
  auto amount_text = bill_value(r.fields[c.amount]);
  if (amount_text.empty() || amount_text.starts_with('-')) {
    ++tally.skipped;  // money out, or a row that moved nothing into the account
    return {};
  }
  auto amount = bill_amount(amount_text, r.line, "the amount");
  if (!amount) {
    return std::unexpected(amount.error());
  }
  if (amount->fen() == 0) {
    ++tally.skipped;
    return {};
  }
  auto at = local_time_us(bill_value(r.fields[c.date]), r.line, "the date");
  if (!at) {
    return std::unexpected(at.error());
  }
  line.line = r.line;
  line.kind = LineKind::kPayment;
  line.occurred_us = *at;
  line.amount = *amount;
  line.fee_fen = 0;
  line.counterparty = bill_value(r.fields[c.counterparty]);
  line.remark = bill_value(r.fields[c.remark]);
  line.reference = donations::find_reference_code(line.remark).value_or("");
  line.txn_id = c.txn ? bill_value(r.fields[*c.txn]) : "";
  line.txn_id_derived = line.txn_id.empty();
  if (line.txn_id_derived) {
    line.txn_id = content_digest(line);
  } else if (line.txn_id.size() > 64) {
    return std::unexpected(line_error(r.line, "value_invalid", "the serial number is too long"));
  }
  return sink(line);
}

}  // namespace

std::expected<ParseTally, Error> parse_bank_statement(ByteSource& source,
                                                      const BankProfile& profile,
                                                      const LineSink& sink) {
  std::optional<GbkSource> gbk;
  if (profile.encoding == "gbk") {
    gbk.emplace(source);
  }
  CsvReader reader(gbk ? static_cast<ByteSource&>(*gbk) : source);
  CsvRecord record;
  for (int i = 0; i <= profile.skip_lines; ++i) {
    auto more = reader.next(record);
    if (!more) {
      return std::unexpected(more.error());
    }
    if (!*more) {
      return std::unexpected(make_error("file_truncated", "the file ends before the header"));
    }
  }
  auto columns = find_columns(record, profile);
  if (!columns) {
    return std::unexpected(columns.error());
  }
  ParseTally tally;
  StatementLine line;
  for (;;) {
    auto more = reader.next(record);
    if (!more) {
      return std::unexpected(more.error());
    }
    if (!*more) {
      return tally;
    }
    if (auto ok = bank_row(record, *columns, tally, line, sink); !ok) {
      return std::unexpected(ok.error());
    }
  }
}

}  // namespace boai::statements
