// Checkpoints: the head read, signed and inserted; a second maker racing to the same head loses
// on the primary key and reports nothing new.
#include "openbooks/checkpoints.hpp"

#include <chrono>
#include <nlohmann/json.hpp>

namespace boai::openbooks {

using nlohmann::json;

namespace {

constexpr const char* kColumns = "seq, head_hash, at_us, key_id, signature";

std::int64_t now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::vector<SignedCheckpoint> rows_of(const sql::Result& r) {
  int seq = r.column("seq"), head = r.column("head_hash"), at = r.column("at_us"),
      key = r.column("key_id"), sig = r.column("signature");
  std::vector<SignedCheckpoint> out;
  out.reserve(static_cast<std::size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) {
    out.push_back({r.int64(i, seq), std::string(r.text(i, head)), r.int64(i, at),
                   std::string(r.text(i, key)), std::string(r.text(i, sig))});
  }
  return out;
}

}  // namespace

std::string checkpoint_message(std::int64_t seq, const std::string& head_hash, std::int64_t at_us) {
  return "boai-ledger-checkpoint-v1\nseq=" + std::to_string(seq) + "\nhead=" + head_hash +
         "\nat=" + std::to_string(at_us) + "\n";
}

json checkpoint_json(const SignedCheckpoint& c) {
  return {{"seq", c.seq},
          {"head_hash", c.head_hash},
          {"at_us", c.at_us},
          {"key_id", c.key_id},
          {"signature", c.signature}};
}

std::expected<SignedCheckpoint, Error> checkpoint_from_json(const json& j) {
  auto integer = [&j](const char* name) {
    return j.is_object() && j.contains(name) && j[name].is_number_integer();
  };
  auto text = [&j](const char* name) {
    return j.is_object() && j.contains(name) && j[name].is_string();
  };
  if (!integer("seq") || !text("head_hash") || !integer("at_us") || !text("signature")) {
    return std::unexpected(
        Error{"checkpoint_invalid", "a checkpoint is {seq, head_hash, at_us, key_id, signature}"});
  }
  return SignedCheckpoint{j["seq"].get<std::int64_t>(), j["head_hash"].get<std::string>(),
                          j["at_us"].get<std::int64_t>(),
                          text("key_id") ? j["key_id"].get<std::string>() : std::string(),
                          j["signature"].get<std::string>()};
}

std::expected<std::optional<SignedCheckpoint>, Error> make_checkpoint(sql::Connection& conn,
                                                                      const LedgerKey& key) {
  auto head = conn.exec(
      "SELECT h.last_seq, h.last_hash, coalesce((SELECT max(seq) FROM ledger_checkpoints), 0) "
      "AS signed_seq FROM ledger_head h");
  if (!head) {
    return std::unexpected(head.error().to_error());
  }
  std::int64_t seq = head->int64(0, head->column("last_seq"));
  if (seq == 0 || seq <= head->int64(0, head->column("signed_seq"))) {
    return std::optional<SignedCheckpoint>{};
  }
  SignedCheckpoint c{seq,
                     std::string(head->text(0, head->column("last_hash"))),
                     now_us(),
                     key.public_key().id,
                     {}};
  c.signature = key.sign(checkpoint_message(c.seq, c.head_hash, c.at_us));
  auto inserted = conn.exec(std::string("INSERT INTO ledger_checkpoints (") + kColumns +
                                ") VALUES ($1, $2, $3, $4, $5) ON CONFLICT (seq) DO NOTHING",
                            sql::params(c.seq, c.head_hash, c.at_us, c.key_id, c.signature));
  if (!inserted) {
    return std::unexpected(inserted.error().to_error());
  }
  if (inserted->affected() == 0) {
    return std::optional<SignedCheckpoint>{};
  }
  return std::optional<SignedCheckpoint>{std::move(c)};
}

std::expected<std::vector<SignedCheckpoint>, Error> list_checkpoints(sql::Connection& conn,
                                                                     std::int64_t after_seq,
                                                                     std::int64_t limit) {
  auto r = conn.exec(std::string("SELECT ") + kColumns +
                         " FROM ledger_checkpoints WHERE seq > $1 ORDER BY seq LIMIT $2",
                     sql::params(after_seq, limit));
  if (!r) {
    return std::unexpected(r.error().to_error());
  }
  return rows_of(*r);
}

std::expected<std::optional<SignedCheckpoint>, Error> latest_checkpoint(sql::Connection& conn) {
  auto r = conn.exec(std::string("SELECT ") + kColumns +
                     " FROM ledger_checkpoints ORDER BY seq DESC LIMIT 1");
  if (!r) {
    return std::unexpected(r.error().to_error());
  }
  auto rows = rows_of(*r);
  if (rows.empty()) {
    return std::optional<SignedCheckpoint>{};
  }
  return std::optional<SignedCheckpoint>{std::move(rows.front())};
}

std::expected<json, Error> checkpoints_document(sql::Connection& conn, const PublicKey& key) {
  json out = {{"key", {{"id", key.id}, {"public_key", key.raw_base64}}},
              {"checkpoints", json::array()}};
  for (std::int64_t after = 0;;) {
    auto page = list_checkpoints(conn, after, kCheckpointPageMax);
    if (!page) {
      return std::unexpected(page.error());
    }
    if (page->empty()) {
      return out;
    }
    for (const auto& c : *page) {
      out["checkpoints"].push_back(checkpoint_json(c));
    }
    after = page->back().seq;
  }
}

}  // namespace boai::openbooks
