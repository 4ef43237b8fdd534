// The cryptography the notices need, on OpenSSL 3's EVP interfaces: base64 and hex, RSA-SHA256
// (PKCS#1 v1.5) verification, AES-256-GCM decryption and HMAC-SHA256.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/error.hpp"

typedef struct evp_pkey_st EVP_PKEY;

namespace boai::notices {

struct PkeyFree {
  void operator()(EVP_PKEY* key) const noexcept;
};
using PublicKey = std::shared_ptr<EVP_PKEY>;  // shared: settings are copied into routes

// Standard base64 with padding; whitespace is not allowed. nullopt for anything else.
std::optional<std::string> base64_decode(std::string_view text);
std::string base64_encode(std::string_view bytes);
// Hex digits of either case, an even number of them.
std::optional<std::string> hex_decode(std::string_view text);
std::string hex_encode(std::string_view bytes);

// True when signature is key's RSA PKCS#1 v1.5 SHA-256 signature of message.
bool rsa_sha256_verify(EVP_PKEY* key, std::string_view message, std::string_view signature);

// AEAD_AES_256_GCM (RFC 5116): ciphertext ends with its 16-byte tag. nullopt when the key or
// nonce has the wrong size, or the tag does not match (anything tampered).
std::optional<std::string> aes_256_gcm_decrypt(std::string_view key, std::string_view nonce,
                                               std::string_view associated_data,
                                               std::string_view ciphertext_and_tag);

std::string hmac_sha256(std::string_view key, std::string_view message);

// Compares in time that depends on the lengths only.
bool same_bytes(std::string_view a, std::string_view b);

}  // namespace boai::notices
