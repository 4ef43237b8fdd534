// One ledger entry's content, its canonical encoding, and the SHA-256 chain over it. The public
// export carries every field hashed here, so anyone can recompute the chain.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace boai::donations {

inline const std::string kGenesisHash(64, '0');

struct LedgerEntry {
  std::int64_t seq = 0;
  std::string kind;              // pledge, cancel, expire, payment, refund, expenditure, correction
  std::int64_t recorded_us = 0;  // microseconds since 1970-01-01 UTC
  std::optional<std::int64_t> campaign_id;
  std::int64_t fund_id = 0;
  std::optional<std::int64_t> pledge_id;
  std::optional<std::int64_t> payment_id;
  std::optional<std::int64_t> object_id;
  std::int64_t amount_fen = 0;
  std::string public_name;
  std::string reference;
  std::string memo;
  std::string prev_hash;
  std::string entry_hash;
};

// "boai-ledger-v1" then one "name=value" line per field in a fixed order; backslashes and line
// breaks in text are escaped, absent ids are empty.
std::string canonical_encoding(const LedgerEntry& e);
std::string sha256_hex(const std::string& data);
// SHA-256 of the canonical encoding, which includes prev_hash.
std::string entry_hash(const LedgerEntry& e);

}  // namespace boai::donations
