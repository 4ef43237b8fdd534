// Reading keys and certificates with OpenSSL's PEM readers from memory BIOs.
#include "notices/keys.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/decoder.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <fstream>
#include <iterator>

#include "base/c_handle.hpp"

namespace boai::notices {

namespace {

using Bio = CHandle<BIO, BIO_free>;
using X509Handle = CHandle<X509, X509_free>;
using Bignum = CHandle<BIGNUM, BN_free>;
using Decoder = CHandle<OSSL_DECODER_CTX, OSSL_DECODER_CTX_free>;

void free_openssl_string(char* s) {
  OPENSSL_free(s);
}
using OpensslString = CHandle<char, free_openssl_string>;

constexpr std::size_t kMaxKeyFile = 64 * 1024;

Bio memory_bio(std::string_view text) {
  return Bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

// One RSA key in PEM, through OpenSSL 3's decoders (for a public key, SubjectPublicKeyInfo and
// PKCS#1 alike); selection says which half.
std::shared_ptr<EVP_PKEY> read_pem_key(std::string_view pem, int selection) {
  EVP_PKEY* key = nullptr;
  Decoder decoder(
      OSSL_DECODER_CTX_new_for_pkey(&key, "PEM", nullptr, "RSA", selection, nullptr, nullptr));
  const auto* data = reinterpret_cast<const unsigned char*>(pem.data());
  std::size_t left = pem.size();
  if (!decoder || OSSL_DECODER_from_data(decoder.get(), &data, &left) != 1) {
    EVP_PKEY_free(key);
    return nullptr;
  }
  return std::shared_ptr<EVP_PKEY>(key, PkeyFree{});
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

std::shared_ptr<EVP_PKEY> read_rsa_key(std::string_view text, int selection,
                                       std::string_view label) {
  auto body = trimmed(text);
  if (body.starts_with("-----BEGIN")) {
    return read_pem_key(body, selection);
  }
  std::string pem = "-----BEGIN " + std::string(label) + "-----\n";
  for (std::size_t i = 0; i < body.size(); i += 64) {
    pem += std::string(body.substr(i, 64)) + "\n";
  }
  return read_pem_key(pem + "-----END " + std::string(label) + "-----\n", selection);
}

std::expected<PublicKey, Error> parse_public_key(std::string_view text) {
  PublicKey key = read_rsa_key(text, EVP_PKEY_PUBLIC_KEY, "PUBLIC KEY");
  if (!key || EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_RSA) {
    return std::unexpected(make_error("key_invalid", "not an RSA public key in PEM or base64"));
  }
  return key;
}

std::expected<Certificate, Error> parse_certificate(std::string_view pem) {
  auto bio = memory_bio(pem);
  X509Handle cert(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!cert) {
    return std::unexpected(make_error("certificate_invalid", "not a PEM X.509 certificate"));
  }
  PublicKey key(X509_get_pubkey(cert.get()), PkeyFree{});
  if (!key || EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_RSA) {
    return std::unexpected(make_error("certificate_invalid", "the certificate's key is not RSA"));
  }
  Bignum serial(ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert.get()), nullptr));
  OpensslString hex(serial ? BN_bn2hex(serial.get()) : nullptr);
  if (!hex) {
    return std::unexpected(make_error("certificate_invalid", "the certificate has no serial"));
  }
  return Certificate{hex.get(), std::move(key)};
}

std::expected<std::string, Error> read_small_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return std::unexpected(make_error("file_unreadable", "cannot read " + path));
  }
  std::string text;
  text.resize(kMaxKeyFile + 1);
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > kMaxKeyFile) {
    return std::unexpected(make_error("file_unreadable", path + " is larger than a key file"));
  }
  return text;
}

}  // namespace boai::notices
