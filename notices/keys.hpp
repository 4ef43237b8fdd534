// The providers' public keys as the station configures them: an RSA public key in PEM (Alipay's),
// and platform certificates (WeChat Pay's), each named by its serial number.
#pragma once

#include <expected>
#include <memory>
#include <string>
#include <string_view>

#include "base/error.hpp"
#include "notices/crypto.hpp"

namespace boai::notices {

struct Certificate {
  std::string serial;  // upper-case hex without leading zeros, as Wechatpay-Serial names it
  PublicKey key;
};

// An RSA key in PEM, or the bare base64 of its DER as the providers' consoles show it (armoured
// as "BEGIN label"); selection is EVP_PKEY_PUBLIC_KEY or EVP_PKEY_KEYPAIR. nullptr when it is not
// one. The public keys below and the merchant's private key (payorders/signer.cpp) both read so.
std::shared_ptr<EVP_PKEY> read_rsa_key(std::string_view text, int selection,
                                       std::string_view label);

// A PEM public key ("BEGIN PUBLIC KEY" or "BEGIN RSA PUBLIC KEY"), or the bare base64 of one, as
// Alipay's console shows it. Errors: key_invalid.
std::expected<PublicKey, Error> parse_public_key(std::string_view text);

// A PEM X.509 certificate with an RSA key. Errors: certificate_invalid.
std::expected<Certificate, Error> parse_certificate(std::string_view pem);

// A whole small file (a key, a certificate). Errors: file_unreadable.
std::expected<std::string, Error> read_small_file(const std::string& path);

}  // namespace boai::notices
