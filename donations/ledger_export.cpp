// Export: the entries streamed through ledger_export_text (CSV and JSON by hand, as they come),
// the few small parts (funds, campaigns, totals, head) through nlohmann at this edge.
#include "donations/ledger_export.hpp"

#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "donations/ledger_export_text.hpp"
#include "donations/ledger_stream.hpp"
#include "donations/ledger_verify.hpp"
#include "donations/pledge_rows.hpp"
#include "donations/totals_columns.hpp"

namespace boai::donations {

using detail::failed;

namespace {

constexpr std::size_t kFlushBytes = 256 * 1024;

// The parts of ledger.json that are not entries, read in the export's snapshot.
struct SmallParts {
  nlohmann::json funds = nlohmann::json::array();
  nlohmann::json campaigns = nlohmann::json::array();
  nlohmann::json totals = nlohmann::json::array();
};

std::expected<SmallParts, Error> read_small_parts(sql::Connection& conn) {
  auto funds = conn.exec("SELECT id, slug, name FROM funds ORDER BY id");
  auto campaigns = conn.exec("SELECT id, slug, title, goal_fen FROM campaigns ORDER BY id");
  auto totals = conn.exec("SELECT campaign_id, fund_id, " + totals_column_list() +
                          " FROM ledger_totals ORDER BY campaign_id, fund_id");
  if (!funds || !campaigns || !totals) {
    return std::unexpected(make_error("db_error", "cannot read funds, campaigns or totals"));
  }
  SmallParts out;
  for (int i = 0; i < funds->rows(); ++i) {
    out.funds.push_back({{"id", funds->int64(i, funds->column("id"))},
                         {"slug", funds->text(i, funds->column("slug"))},
                         {"name", funds->text(i, funds->column("name"))}});
  }
  for (int i = 0; i < campaigns->rows(); ++i) {
    out.campaigns.push_back({{"id", campaigns->int64(i, campaigns->column("id"))},
                             {"slug", campaigns->text(i, campaigns->column("slug"))},
                             {"title", campaigns->text(i, campaigns->column("title"))},
                             {"goal_fen", campaigns->int64(i, campaigns->column("goal_fen"))}});
  }
  for (int i = 0; i < totals->rows(); ++i) {
    nlohmann::json row = {{"campaign", totals->int64(i, totals->column("campaign_id"))},
                          {"fund", totals->int64(i, totals->column("fund_id"))}};
    for (const char* name : kTotalsColumnNames) {
      row[name] = totals->int64(i, totals->column(name));
    }
    out.totals.push_back(std::move(row));
  }
  return out;
}

// `"key": value,` one level into the document, as dump(2) would lay it out there.
std::string member(const char* key, const nlohmann::json& value, bool last = false) {
  std::string text = value.dump(2);
  std::string out = "  \"" + std::string(key) + "\": ";
  for (char c : text) {
    out += c;
    if (c == '\n') {
      out += "  ";
    }
  }
  return out + (last ? "\n" : ",\n");
}

// Pieces of text gathered into a buffer and handed on in large writes.
class Buffered {
 public:
  explicit Buffered(ExportSink& sink) : sink_(sink) { text_.reserve(kFlushBytes + 4096); }
  std::string& text() { return text_; }
  void maybe_flush() {
    if (text_.size() >= kFlushBytes) {
      flush();
    }
  }
  void flush() {
    sink_.write(text_);
    text_.clear();
  }

 private:
  ExportSink& sink_;
  std::string text_;
};

// Entries as they come: verified, then written to both texts.
std::expected<ExportSummary, Error> stream_entries(sql::Connection& conn, const SmallParts& parts,
                                                   Buffered& csv, Buffered& json) {
  auto stored = read_stored_ledger(conn);
  if (!stored) {
    return std::unexpected(stored.error());
  }
  csv.text() += detail::kCsvHeader;
  json.text() += "{\n" + member("campaigns", parts.campaigns) + "  \"entries\": [";
  ChainChecker checker;
  bool first = true;
  auto walked = for_each_entry(conn, 0, [&](const LedgerEntry& e) {
    checker.add(e);
    detail::append_csv_entry(e, csv.text());
    json.text() += first ? "\n" : ",\n";
    first = false;
    detail::append_json_entry(e, json.text());
    csv.maybe_flush();
    json.maybe_flush();
  });
  if (!walked) {
    return std::unexpected(walked.error());
  }
  auto report =
      checker.finish(stored->head_seq, stored->head_hash, &stored->totals, &stored->months);
  json.text() += first ? "],\n" : "\n  ],\n";
  json.text() += member("format", "boai-ledger-v1") + member("funds", parts.funds) +
                 member("hash", "sha256 over the canonical encoding described in docs/LEDGER.md") +
                 member("head", {{"seq", report.entries}, {"hash", report.head_hash}}) +
                 member("totals", parts.totals) + member("verified", report.ok(), true) + "}\n";
  csv.flush();
  json.flush();
  return ExportSummary{report.entries, report.head_hash, report.ok()};
}

class StringSink : public ExportSink {
 public:
  explicit StringSink(std::string& out) : out_(out) {}
  void write(std::string_view text) override { out_ += text; }

 private:
  std::string& out_;
};

// A file written beside its final name; failures are remembered and reported by close().
class FileSink : public ExportSink {
 public:
  explicit FileSink(const std::filesystem::path& path)
      : path_(path), file_(std::fopen(path.c_str(), "wb")) {}
  ~FileSink() override {
    if (file_ != nullptr) {
      std::fclose(file_);
    }
  }
  void write(std::string_view text) override {
    if (file_ == nullptr || std::fwrite(text.data(), 1, text.size(), file_) != text.size()) {
      ok_ = false;
    }
  }
  bool opened() const { return file_ != nullptr; }
  bool close() {
    bool closed = file_ != nullptr && std::fclose(file_) == 0;
    file_ = nullptr;
    return ok_ && closed;
  }

 private:
  std::filesystem::path path_;
  std::FILE* file_;
  bool ok_ = true;
};

}  // namespace

std::expected<ExportSummary, Error> write_public_ledger(sql::Connection& conn, ExportSink& csv,
                                                        ExportSink& json) {
  // One snapshot for entries, head, totals, funds and campaigns.
  if (auto b = conn.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"); !b) {
    return std::unexpected(failed(b.error()));
  }
  std::expected<ExportSummary, Error> out = std::unexpected(Error{});
  try {
    auto parts = read_small_parts(conn);
    Buffered csv_text(csv), json_text(json);
    out = parts ? stream_entries(conn, *parts, csv_text, json_text)
                : std::expected<ExportSummary, Error>(std::unexpected(parts.error()));
  } catch (...) {
    (void)conn.exec("ROLLBACK");
    throw;
  }
  (void)conn.exec(out ? "COMMIT" : "ROLLBACK");
  return out;
}

std::expected<ExportSummary, Error> export_public_ledger(sql::Connection& conn,
                                                         const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  auto csv_path = dir / "ledger.csv", json_path = dir / "ledger.json";
  auto csv_scratch = dir / ".ledger.csv.part", json_scratch = dir / ".ledger.json.part";
  FileSink csv(csv_scratch), json(json_scratch);
  if (!csv.opened() || !json.opened()) {
    std::filesystem::remove(csv_scratch, ec);
    std::filesystem::remove(json_scratch, ec);
    return std::unexpected(make_error("export_failed", "cannot write to " + dir.string()));
  }
  auto written = write_public_ledger(conn, csv, json);
  bool closed = csv.close() && json.close();
  if (written && closed) {
    std::filesystem::rename(csv_scratch, csv_path, ec);
    if (!ec) {
      std::filesystem::rename(json_scratch, json_path, ec);
    }
  }
  if (!written || !closed || ec) {
    std::filesystem::remove(csv_scratch, ec);
    std::filesystem::remove(json_scratch, ec);
    if (!written) {
      return std::unexpected(written.error());
    }
    return std::unexpected(make_error("export_failed", "cannot write to " + dir.string()));
  }
  return written;
}

std::expected<PublicLedger, Error> export_public_ledger(sql::Connection& conn) {
  PublicLedger out;
  StringSink csv(out.csv), json(out.json);
  auto written = write_public_ledger(conn, csv, json);
  if (!written) {
    return std::unexpected(written.error());
  }
  return out;
}

}  // namespace boai::donations
