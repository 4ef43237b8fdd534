// The notice tests' keys and signers, on OpenSSL 3's EVP and X509 calls.
#include "tests/support/notice_keys.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "base/c_handle.hpp"
#include "notices/alipay_notice.hpp"
#include "notices/form_body.hpp"
#include "notices/wechat_notice.hpp"

namespace boai::test {

namespace {

using Bio = CHandle<BIO, BIO_free>;
using X509Handle = CHandle<X509, X509_free>;
using MdContext = CHandle<EVP_MD_CTX, EVP_MD_CTX_free>;
using CipherContext = CHandle<EVP_CIPHER_CTX, EVP_CIPHER_CTX_free>;
using Bignum = CHandle<BIGNUM, BN_free>;

void check(bool ok, const char* what) {
  if (!ok) {
    throw std::runtime_error(std::string("openssl: ") + what);
  }
}

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(n));
}

std::string self_signed(EVP_PKEY* key, const std::string& serial_hex) {
  X509Handle cert(X509_new());
  BIGNUM* raw = nullptr;
  check(BN_hex2bn(&raw, serial_hex.c_str()) > 0, "serial");
  Bignum serial(raw);
  check(cert && X509_set_version(cert.get(), 2) == 1 &&
            BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())) != nullptr &&
            X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600) != nullptr &&
            X509_gmtime_adj(X509_getm_notAfter(cert.get()), 86400) != nullptr &&
            X509_set_pubkey(cert.get(), key) == 1,
        "certificate");
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("Tenpay.com Root CA test"), -1,
                             -1, 0);
  check(X509_set_issuer_name(cert.get(), name) == 1 && X509_sign(cert.get(), key, EVP_sha256()) > 0,
        "signing the certificate");
  Bio out(BIO_new(BIO_s_mem()));
  check(PEM_write_bio_X509(out.get(), cert.get()) == 1, "writing the certificate");
  return bio_text(out.get());
}

}  // namespace

TestKey make_test_key(const std::string& serial_hex) {
  TestKey key;
  key.pair = std::shared_ptr<EVP_PKEY>(EVP_RSA_gen(2048), EVP_PKEY_free);
  check(key.pair != nullptr, "generating an RSA key");
  Bio out(BIO_new(BIO_s_mem()));
  check(PEM_write_bio_PUBKEY(out.get(), key.pair.get()) == 1, "writing the public key");
  key.public_pem = bio_text(out.get());
  Bio secret(BIO_new(BIO_s_mem()));
  check(PEM_write_bio_PrivateKey(secret.get(), key.pair.get(), nullptr, nullptr, 0, nullptr,
                                 nullptr) == 1,
        "writing the private key");
  key.private_pem = bio_text(secret.get());
  key.cert_pem = self_signed(key.pair.get(), serial_hex);
  key.serial = serial_hex;
  return key;
}

std::string sign_base64(const TestKey& key, const std::string& message) {
  MdContext ctx(EVP_MD_CTX_new());
  std::size_t len = 0;
  check(ctx && EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.pair.get()) == 1 &&
            EVP_DigestSign(ctx.get(), nullptr, &len,
                           reinterpret_cast<const unsigned char*>(message.data()),
                           message.size()) == 1,
        "signing");
  std::string sig(len, '\0');
  check(EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len,
                       reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1,
        "signing");
  sig.resize(len);
  return notices::base64_encode(sig);
}

std::string seal_base64(const std::string& key, const std::string& nonce, const std::string& aad,
                        const std::string& plaintext) {
  CipherContext ctx(EVP_CIPHER_CTX_new());
  auto bytes = [](const std::string& s) {
    return reinterpret_cast<const unsigned char*>(s.data());
  };
  std::string out(plaintext.size() + 16, '\0');
  auto* dst = reinterpret_cast<unsigned char*>(out.data());
  int len = 0;
  int total = 0;
  check(ctx && EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(nonce.size()),
                                nullptr) == 1 &&
            EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, bytes(key), bytes(nonce)) == 1 &&
            EVP_EncryptUpdate(ctx.get(), nullptr, &len, bytes(aad), static_cast<int>(aad.size())) ==
                1 &&
            EVP_EncryptUpdate(ctx.get(), dst, &len, bytes(plaintext),
                              static_cast<int>(plaintext.size())) == 1,
        "sealing");
  total = len;
  check(EVP_EncryptFinal_ex(ctx.get(), dst + total, &len) == 1, "sealing");
  total += len;
  check(EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, 16, dst + total) == 1, "the tag");
  out.resize(static_cast<std::size_t>(total) + 16);
  return notices::base64_encode(out);
}

std::string wechat_transaction_json(const std::string& mchid, const std::string& reference,
                                    const std::string& txn, std::int64_t fen,
                                    const std::string& state) {
  return nlohmann::json{
      {"mchid", mchid},
      {"appid", "wxd678efh567hg6787"},
      {"out_trade_no", reference},
      {"transaction_id", txn},
      {"trade_type", "NATIVE"},
      {"trade_state", state},
      {"trade_state_desc", "支付成功"},
      {"bank_type", "OTHERS"},
      {"success_time", "2024-06-01T10:00:00+08:00"},
      {"payer", {{"openid", "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"}}},
      {"amount",
       {{"total", fen}, {"payer_total", fen}, {"currency", "CNY"}, {"payer_currency", "CNY"}}}}
      .dump();
}

std::string wechat_envelope(const std::string& apiv3_key, const std::string& transaction,
                            const std::string& nonce, const std::string& aad) {
  return nlohmann::json{{"id", "EV-2018022511223320873"},
                        {"create_time", "2024-06-01T10:00:01+08:00"},
                        {"resource_type", "encrypt-resource"},
                        {"event_type", "TRANSACTION.SUCCESS"},
                        {"summary", "支付成功"},
                        {"resource",
                         {{"original_type", "transaction"},
                          {"algorithm", "AEAD_AES_256_GCM"},
                          {"ciphertext", seal_base64(apiv3_key, nonce, aad, transaction)},
                          {"associated_data", aad},
                          {"nonce", nonce}}}}
      .dump();
}

WechatNoticeParts sign_wechat(const TestKey& key, const std::string& body, std::int64_t timestamp,
                              const std::string& nonce) {
  std::string stamp = std::to_string(timestamp);
  return {body, stamp, nonce, sign_base64(key, notices::wechat_signed_text(stamp, nonce, body)),
          key.serial};
}

std::string alipay_body(const TestKey& key, std::map<std::string, std::string> params) {
  params["sign"] = sign_base64(key, notices::alipay_signed_text(params, true));
  return notices::form_encode(params);
}

}  // namespace boai::test
