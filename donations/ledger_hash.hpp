// One ledger entry's content, its canonical encoding, and the SHA-256 chain over it. The public
// export carries every field hashed here, so anyone can recompute the chain.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

struct evp_md_ctx_st;

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
// breaks in text are escaped, absent ids are empty (docs/LEDGER.md).
std::string canonical_encoding(const LedgerEntry& e);
void append_canonical_encoding(const LedgerEntry& e, std::string& out);
std::string sha256_hex(const std::string& data);
// SHA-256 of the canonical encoding, which includes prev_hash.
std::string entry_hash(const LedgerEntry& e);

// entry_hash for one entry after another, reusing its buffer and OpenSSL context: verifying a
// ledger of millions allocates nothing per entry.
class EntryHasher {
 public:
  EntryHasher();
  ~EntryHasher();
  EntryHasher(const EntryHasher&) = delete;
  EntryHasher& operator=(const EntryHasher&) = delete;
  // 64 lowercase hex digits, valid until the next call.
  std::string_view hash(const LedgerEntry& e);

 private:
  struct FreeContext {
    void operator()(evp_md_ctx_st* ctx) const noexcept;
  };
  std::unique_ptr<evp_md_ctx_st, FreeContext> ctx_;
  std::string encoding_;
  std::array<char, 64> hex_{};
};

}  // namespace boai::donations
