// A checkpoint: a verified head (seq and hash) and what the entries up to it sum to, kept outside
// the database, so that the next verify checks only the entries added since (docs/LEDGER.md).
#pragma once

#include <cstdint>
#include <expected>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "base/error.hpp"
#include "donations/ledger_hash.hpp"
#include "donations/ledger_sums.hpp"

namespace boai::donations {

struct Checkpoint {
  std::int64_t seq = 0;             // 0: the genesis, before entry 1
  std::string hash = kGenesisHash;  // entry seq's hash
  LedgerSums sums;                  // of entries 1 to seq
};

// Text: "boai-ledger-checkpoint-v2", "seq=N", "hash=HEX", then one line per campaign and fund,
// "totals=CAMPAIGN FUND" and the totals columns in kTotalsColumnNames' order.
std::string format_checkpoint(const Checkpoint& checkpoint);
// Errors: checkpoint_invalid.
std::expected<Checkpoint, Error> parse_checkpoint(std::string_view text);

// nullopt when the file does not exist. Errors: checkpoint_invalid, checkpoint_unreadable.
std::expected<std::optional<Checkpoint>, Error> load_checkpoint(const std::filesystem::path& file);
// Written beside the file and renamed over it: a crash leaves the old one or the new one.
// Errors: checkpoint_unwritable.
std::expected<void, Error> save_checkpoint(const std::filesystem::path& file,
                                           const Checkpoint& checkpoint);

}  // namespace boai::donations
