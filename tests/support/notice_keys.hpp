// Keys the notice tests make for themselves with OpenSSL: RSA key pairs, self-signed platform
// certificates with a chosen serial, signatures, AES-256-GCM sealing, and whole signed notices
// as each provider would send them.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "notices/crypto.hpp"

namespace boai::test {

struct TestKey {
  std::shared_ptr<EVP_PKEY> pair;  // private and public
  std::string public_pem;          // "BEGIN PUBLIC KEY"
  std::string private_pem;         // "BEGIN PRIVATE KEY" (PKCS#8): what a merchant's key file holds
  std::string cert_pem;            // self-signed, with the serial below
  std::string serial;              // upper-case hex
};

// A fresh 2048-bit RSA key with a self-signed certificate of that serial.
TestKey make_test_key(const std::string& serial_hex);

// Base64 RSA-SHA256 (PKCS#1 v1.5) signature.
std::string sign_base64(const TestKey& key, const std::string& message);

// Base64 of AES-256-GCM ciphertext followed by its 16-byte tag.
std::string seal_base64(const std::string& key, const std::string& nonce, const std::string& aad,
                        const std::string& plaintext);

// A WeChat Pay transaction notice: the body, and headers signed by key at timestamp.
struct WechatNoticeParts {
  std::string body;
  std::string timestamp;
  std::string nonce;
  std::string signature;
  std::string serial;
};
std::string wechat_transaction_json(const std::string& mchid, const std::string& reference,
                                    const std::string& txn, std::int64_t fen,
                                    const std::string& state = "SUCCESS");
std::string wechat_envelope(const std::string& apiv3_key, const std::string& transaction,
                            const std::string& nonce = "r4nd0mN0nce1",
                            const std::string& aad = "transaction");
WechatNoticeParts sign_wechat(const TestKey& key, const std::string& body, std::int64_t timestamp,
                              const std::string& nonce = "5K8264ILTKCH16CQ2502SI8ZNMTM67VS");

// An Alipay notice's form body, signed over its sorted parameters without sign and sign_type.
std::string alipay_body(const TestKey& key, std::map<std::string, std::string> params);

}  // namespace boai::test
