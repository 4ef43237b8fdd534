// Ed25519 with OpenSSL 3's EVP calls: keys in PEM (PKCS#8 private, SubjectPublicKeyInfo public),
// signatures over the message itself (Ed25519 hashes internally, so no digest is named).
#include "openbooks/ledger_key.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <unistd.h>

#include <array>
#include <system_error>

#include "base/c_handle.hpp"
#include "notices/crypto.hpp"
#include "notices/keys.hpp"

namespace boai::openbooks {

namespace {

using Bio = CHandle<BIO, BIO_free>;
using MdContext = CHandle<EVP_MD_CTX, EVP_MD_CTX_free>;
using PkeyContext = CHandle<EVP_PKEY_CTX, EVP_PKEY_CTX_free>;

constexpr std::size_t kRawKeyBytes = 32;
constexpr std::size_t kSignatureBytes = 64;

std::shared_ptr<EVP_PKEY> own(EVP_PKEY* key) {
  return {key, EVP_PKEY_free};
}

std::string pem_of(EVP_PKEY* key, bool private_half) {
  Bio bio(BIO_new(BIO_s_mem()));
  int ok = private_half
               ? PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr)
               : PEM_write_bio_PUBKEY(bio.get(), key);
  if (ok != 1) {
    return {};
  }
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(n));
}

std::expected<PublicKey, Error> public_of(EVP_PKEY* key) {
  std::array<unsigned char, kRawKeyBytes> raw{};
  std::size_t n = raw.size();
  if (EVP_PKEY_get_raw_public_key(key, raw.data(), &n) != 1 || n != kRawKeyBytes) {
    return std::unexpected(Error{"ledger_key_invalid", "not an Ed25519 key"});
  }
  std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
  SHA256(raw.data(), n, digest.data());
  std::string_view raw_bytes(reinterpret_cast<const char*>(raw.data()), n);
  std::string_view digest_bytes(reinterpret_cast<const char*>(digest.data()), 8);
  return PublicKey{notices::base64_encode(raw_bytes), pem_of(key, false),
                   notices::hex_encode(digest_bytes)};
}

std::expected<std::shared_ptr<EVP_PKEY>, Error> create_key(const std::filesystem::path& file) {
  EVP_PKEY* made = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  if (made == nullptr) {
    return std::unexpected(Error{"ledger_key_unwritable", "OpenSSL could not make an Ed25519 key"});
  }
  auto key = own(made);
  std::string pem = pem_of(key.get(), true);
  std::error_code ec;
  if (file.has_parent_path()) {
    std::filesystem::create_directories(file.parent_path(), ec);
  }
  // O_EXCL: two processes starting at once must not each write a key of their own.
  int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    return std::unexpected(
        Error{"ledger_key_unwritable", "cannot create the ledger key " + file.string()});
  }
  bool written = ::write(fd, pem.data(), pem.size()) == static_cast<ssize_t>(pem.size());
  bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!written || !synced) {
    return std::unexpected(
        Error{"ledger_key_unwritable", "cannot write the ledger key " + file.string()});
  }
  return key;
}

std::expected<std::shared_ptr<EVP_PKEY>, Error> read_key(const std::filesystem::path& file) {
  auto text = notices::read_small_file(file.string());
  if (!text) {
    return std::unexpected(
        Error{"ledger_key_unreadable", "cannot read the ledger key " + file.string()});
  }
  Bio bio(BIO_new_mem_buf(text->data(), static_cast<int>(text->size())));
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
  if (key == nullptr || EVP_PKEY_get_base_id(key) != EVP_PKEY_ED25519) {
    EVP_PKEY_free(key);
    return std::unexpected(
        Error{"ledger_key_invalid", file.string() + " holds no Ed25519 private key in PEM"});
  }
  return own(key);
}

}  // namespace

std::expected<LedgerKey, Error> LedgerKey::load_or_create(const std::filesystem::path& file) {
  std::error_code ec;
  auto key = std::filesystem::exists(file, ec) ? read_key(file) : create_key(file);
  if (!key) {
    return std::unexpected(key.error());
  }
  auto pub = public_of(key->get());
  if (!pub) {
    return std::unexpected(pub.error());
  }
  return LedgerKey(std::move(*key), std::move(*pub));
}

std::string LedgerKey::sign(std::string_view message) const {
  MdContext ctx(EVP_MD_CTX_new());
  std::array<unsigned char, kSignatureBytes> sig{};
  std::size_t n = sig.size();
  if (EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key_.get()) != 1 ||
      EVP_DigestSign(ctx.get(), sig.data(), &n,
                     reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1) {
    return {};
  }
  return notices::base64_encode(std::string_view(reinterpret_cast<const char*>(sig.data()), n));
}

std::expected<PublicKey, Error> parse_public_key(std::string_view text) {
  EVP_PKEY* key = nullptr;
  if (text.find("-----BEGIN") != std::string_view::npos) {
    Bio bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
    key = PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr);
  } else if (auto raw = notices::base64_decode(text); raw && raw->size() == kRawKeyBytes) {
    key = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr,
                                      reinterpret_cast<const unsigned char*>(raw->data()),
                                      raw->size());
  }
  if (key == nullptr || EVP_PKEY_get_base_id(key) != EVP_PKEY_ED25519) {
    EVP_PKEY_free(key);
    return std::unexpected(
        Error{"ledger_key_invalid", "not an Ed25519 public key (PEM, or 32 bytes in base64)"});
  }
  auto owned = own(key);
  return public_of(owned.get());
}

bool signature_valid(const PublicKey& key, std::string_view message, std::string_view signature) {
  auto raw = notices::base64_decode(key.raw_base64);
  auto sig = notices::base64_decode(signature);
  if (!raw || !sig || sig->size() != kSignatureBytes) {
    return false;
  }
  auto pkey = own(EVP_PKEY_new_raw_public_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(raw->data()), raw->size()));
  MdContext ctx(EVP_MD_CTX_new());
  return pkey && EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, pkey.get()) == 1 &&
         EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(sig->data()),
                          sig->size(), reinterpret_cast<const unsigned char*>(message.data()),
                          message.size()) == 1;
}

}  // namespace boai::openbooks
