// The station's Ed25519 signing key for ledger checkpoints (docs/LEDGER.md "Signed checkpoints").
// Created on first use, readable by the station's user only; its public half is published so
// that anyone can check a checkpoint without trusting the station's database.
#pragma once

#include <expected>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "base/error.hpp"

typedef struct evp_pkey_st EVP_PKEY;

namespace boai::openbooks {

// A public key as it is published: the raw 32 bytes in base64 (what a browser imports), the
// same in PEM (what `openssl pkeyutl` reads) and its id, the first 16 hex digits of SHA-256 of
// the raw bytes.
struct PublicKey {
  std::string raw_base64;
  std::string pem;
  std::string id;
};

class LedgerKey {
 public:
  // The PEM private key in file, or a new one written there (0600, directories made) when the
  // file does not exist. Errors: ledger_key_invalid, ledger_key_unreadable, ledger_key_unwritable.
  static std::expected<LedgerKey, Error> load_or_create(const std::filesystem::path& file);

  // Base64 of the 64-byte Ed25519 signature of message.
  std::string sign(std::string_view message) const;
  const PublicKey& public_key() const { return public_; }

 private:
  LedgerKey(std::shared_ptr<EVP_PKEY> key, PublicKey pub)
      : key_(std::move(key)), public_(std::move(pub)) {}
  std::shared_ptr<EVP_PKEY> key_;
  PublicKey public_;
};

// A published key again, from the raw base64 or a PEM. Errors: ledger_key_invalid.
std::expected<PublicKey, Error> parse_public_key(std::string_view text);

// True when signature (base64) is key's Ed25519 signature of message.
bool signature_valid(const PublicKey& key, std::string_view message, std::string_view signature);

}  // namespace boai::openbooks
