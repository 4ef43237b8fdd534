// Signed checkpoints of the ledger's head (docs/LEDGER.md "Signed checkpoints"): made by
// `boai serve` every few minutes when the ledger grew and at the end of each broadcast, or by
// `boai ledger checkpoint`; kept append-only in ledger_checkpoints and published.
#pragma once

#include <cstdint>
#include <expected>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "openbooks/ledger_key.hpp"
#include "sql/connection.hpp"

namespace boai::openbooks {

struct SignedCheckpoint {
  std::int64_t seq = 0;
  std::string head_hash;
  std::int64_t at_us = 0;
  std::string key_id;
  std::string signature;  // base64 Ed25519 over checkpoint_message(seq, head_hash, at_us)
};

// What is signed: "boai-ledger-checkpoint-v1\nseq=N\nhead=HEX\nat=US\n".
std::string checkpoint_message(std::int64_t seq, const std::string& head_hash, std::int64_t at_us);

nlohmann::json checkpoint_json(const SignedCheckpoint& c);
// Errors: checkpoint_invalid (a field missing or of the wrong type).
std::expected<SignedCheckpoint, Error> checkpoint_from_json(const nlohmann::json& j);

// Signs the head as it is now, unless it is empty or the newest checkpoint already names it
// (nullopt: nothing new to sign). Errors: the database's.
std::expected<std::optional<SignedCheckpoint>, Error> make_checkpoint(sql::Connection& conn,
                                                                      const LedgerKey& key);

// Checkpoints after after_seq, oldest first, at most limit. Errors: the database's.
std::expected<std::vector<SignedCheckpoint>, Error> list_checkpoints(sql::Connection& conn,
                                                                     std::int64_t after_seq,
                                                                     std::int64_t limit);
std::expected<std::optional<SignedCheckpoint>, Error> latest_checkpoint(sql::Connection& conn);

inline constexpr std::int64_t kCheckpointPageMax = 1000;

// Every checkpoint with the key, as the export's checkpoints.json: {"key", "checkpoints"}, the
// shape `boai ledger verify --checkpoints` reads. Errors: the database's.
std::expected<nlohmann::json, Error> checkpoints_document(sql::Connection& conn,
                                                          const PublicKey& key);

}  // namespace boai::openbooks
