// Signing with OpenSSL 3's EVP: the key read as the notices read theirs (notices/keys.hpp), the
// signature by DigestSign.
#include "payorders/signer.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <stdexcept>

#include "base/c_handle.hpp"
#include "notices/keys.hpp"

namespace boai::payorders {

namespace {

using MdContext = CHandle<EVP_MD_CTX, EVP_MD_CTX_free>;

}  // namespace

std::expected<PrivateKey, Error> parse_private_key(std::string_view text) {
  PrivateKey key = notices::read_rsa_key(text, EVP_PKEY_KEYPAIR, "PRIVATE KEY");
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
