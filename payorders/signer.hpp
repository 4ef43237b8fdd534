// Our side of the providers' signatures: the merchant's RSA private key (PKCS#8 or PKCS#1 PEM)
// signing RSA-SHA256 (PKCS#1 v1.5), and the random nonces WeChat Pay's requests carry.
#pragma once

#include <expected>
#include <memory>
#include <string>
#include <string_view>

#include "base/error.hpp"
#include "notices/crypto.hpp"

namespace boai::payorders {

using PrivateKey = std::shared_ptr<EVP_PKEY>;  // shared: settings are copied into routes

// A PEM RSA private key, or the bare base64 of a PKCS#8 one (as Alipay's key tool writes it).
// Errors: key_invalid.
std::expected<PrivateKey, Error> parse_private_key(std::string_view text);

// base64 of key's RSA PKCS#1 v1.5 SHA-256 signature of message.
std::string rsa_sha256_sign_base64(EVP_PKEY* key, std::string_view message);

// 32 random characters of [0-9A-Z].
std::string random_nonce();

}  // namespace boai::payorders
