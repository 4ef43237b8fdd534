// Signing with OpenSSL 3's EVP: the key read through its decoders, the signature by DigestSign.
#include "payorders/signer.hpp"

#include <openssl/decoder.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <stdexcept>

#include "base/c_handle.hpp"

namespace boai::payorders {

namespace {

using Decoder = CHandle<OSSL_DECODER_CTX, OSSL_DECODER_CTX_free>;
using MdContext = CHandle<EVP_MD_CTX, EVP_MD_CTX_free>;

PrivateKey read_pem_private_key(std::string_view pem) {
  EVP_PKEY* key = nullptr;
  Decoder decoder(OSSL_DECODER_CTX_new_for_pkey(&key, "PEM", nullptr, "RSA", EVP_PKEY_KEYPAIR,
                                                nullptr, nullptr));
  const auto* data = reinterpret_cast<const unsigned char*>(pem.data());
  std::size_t left = pem.size();
  if (!decoder || OSSL_DECODER_from_data(decoder.get(), &data, &left) != 1) {
    EVP_PKEY_free(key);
    return nullptr;
  }
  return PrivateKey(key, notices::PkeyFree{});
}

std::string wrap_as_pkcs8(std::string_view base64) {
  std::string pem = "-----BEGIN PRIVATE KEY-----\n";
  for (std::size_t i = 0; i < base64.size(); i += 64) {
    pem += std::string(base64.substr(i, 64)) + "\n";
  }
  return pem + "-----END PRIVATE KEY-----\n";
}

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\n' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

}  // namespace

std::expected<PrivateKey, Error> parse_private_key(std::string_view text) {
  auto body = trimmed(text);
  PrivateKey key = body.starts_with("-----BEGIN") ? read_pem_private_key(body)
                                                  : read_pem_private_key(wrap_as_pkcs8(body));
  if (!key || EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_RSA) {
    return std::unexpected(make_error("key_invalid", "not an RSA private key in PEM or base64"));
  }
  return key;
}

std::string rsa_sha256_sign_base64(EVP_PKEY* key, std::string_view message) {
  MdContext ctx(EVP_MD_CTX_new());
  std::size_t size = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &size, nullptr, 0) != 1) {
    throw std::runtime_error("RSA signing could not start");  // a key parse_private_key took
  }
  std::string signature(size, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &size,
                     reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1) {
    throw std::runtime_error("RSA signing failed");
  }
  signature.resize(size);
  return notices::base64_encode(signature);
}

std::string random_nonce() {
  static constexpr std::string_view kAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  std::array<unsigned char, 32> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    throw std::runtime_error("no random bytes");
  }
  std::string nonce;
  for (unsigned char b : bytes) {
    nonce += kAlphabet[b % kAlphabet.size()];
  }
  return nonce;
}

}  // namespace boai::payorders
