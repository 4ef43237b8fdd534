// Export: JSON through nlohmann at this edge; CSV by hand with RFC 4180 quoting.
#include "donations/ledger_export.hpp"

#include <nlohmann/json.hpp>

#include "donations/ledger_verify.hpp"
#include "donations/money.hpp"
#include "donations/pledge_rows.hpp"

namespace boai::donations {

namespace {

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) {
    return text;
  }
  std::string out = "\"";
  for (char c : text) {
    out += c == '"' ? std::string("\"\"") : std::string(1, c);
  }
  return out + "\"";
}

std::string opt_text(const std::optional<std::int64_t>& v) {
  return v ? std::to_string(*v) : "";
}

nlohmann::json opt_json(const std::optional<std::int64_t>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

}  // namespace

std::expected<PublicLedger, Error> export_public_ledger(sql::Connection& conn) {
  auto report = verify_ledger(conn);
  if (!report) {
    return std::unexpected(report.error());
  }
  auto entries = read_ledger(conn);
  if (!entries) {
    return std::unexpected(entries.error());
  }
  auto funds = conn.exec("SELECT id, slug, name FROM funds ORDER BY id");
  auto campaigns = conn.exec("SELECT id, slug, title, goal_fen FROM campaigns ORDER BY id");
  auto totals = conn.exec(
      "SELECT campaign_id, fund_id, pledged_fen, cancelled_fen, received_fen, refunded_fen, "
      "spent_fen, pledge_count FROM ledger_totals ORDER BY campaign_id, fund_id");
  if (!funds || !campaigns || !totals) {
    return std::unexpected(make_error("db_error", "cannot read funds, campaigns or totals"));
  }

  PublicLedger out;
  out.csv =
      "seq,kind,recorded_us,campaign,fund,pledge,payment,object,amount_fen,amount_yuan,"
      "public_name,reference,memo,prev_hash,entry_hash\n";
  nlohmann::json list = nlohmann::json::array();
  for (const auto& e : *entries) {
    out.csv += std::to_string(e.seq) + "," + csv_field(e.kind) + "," +
               std::to_string(e.recorded_us) + "," + opt_text(e.campaign_id) + "," +
               std::to_string(e.fund_id) + "," + opt_text(e.pledge_id) + "," +
               opt_text(e.payment_id) + "," + opt_text(e.object_id) + "," +
               std::to_string(e.amount_fen) + "," + Money::from_fen(e.amount_fen).format_plain() +
               "," + csv_field(e.public_name) + "," + csv_field(e.reference) + "," +
               csv_field(e.memo) + "," + e.prev_hash + "," + e.entry_hash + "\n";
    list.push_back({{"seq", e.seq},
                    {"kind", e.kind},
                    {"recorded_us", e.recorded_us},
                    {"campaign", opt_json(e.campaign_id)},
                    {"fund", e.fund_id},
                    {"pledge", opt_json(e.pledge_id)},
                    {"payment", opt_json(e.payment_id)},
                    {"object", opt_json(e.object_id)},
                    {"amount_fen", e.amount_fen},
                    {"public_name", e.public_name},
                    {"reference", e.reference},
                    {"memo", e.memo},
                    {"prev_hash", e.prev_hash},
                    {"entry_hash", e.entry_hash}});
  }
  nlohmann::json fund_list = nlohmann::json::array();
  for (int i = 0; i < funds->rows(); ++i) {
    fund_list.push_back(
        {{"id", funds->int64(i, 0)}, {"slug", funds->text(i, 1)}, {"name", funds->text(i, 2)}});
  }
  nlohmann::json campaign_list = nlohmann::json::array();
  for (int i = 0; i < campaigns->rows(); ++i) {
    campaign_list.push_back({{"id", campaigns->int64(i, 0)},
                             {"slug", campaigns->text(i, 1)},
                             {"title", campaigns->text(i, 2)},
                             {"goal_fen", campaigns->int64(i, 3)}});
  }
  nlohmann::json totals_list = nlohmann::json::array();
  for (int i = 0; i < totals->rows(); ++i) {
    totals_list.push_back({{"campaign", totals->int64(i, 0)},
                           {"fund", totals->int64(i, 1)},
                           {"pledged_fen", totals->int64(i, 2)},
                           {"cancelled_fen", totals->int64(i, 3)},
                           {"received_fen", totals->int64(i, 4)},
                           {"refunded_fen", totals->int64(i, 5)},
                           {"spent_fen", totals->int64(i, 6)},
                           {"pledge_count", totals->int64(i, 7)}});
  }
  nlohmann::json doc = {{"format", "boai-ledger-v1"},
                        {"hash", "sha256 over the canonical encoding described in docs/LEDGER.md"},
                        {"head", {{"seq", report->entries}, {"hash", report->head_hash}}},
                        {"verified", report->ok()},
                        {"funds", fund_list},
                        {"campaigns", campaign_list},
                        {"totals", totals_list},
                        {"entries", list}};
  out.json = doc.dump(2) + "\n";
  return out;
}

}  // namespace boai::donations
