// The notices' cryptography: OpenSSL 3 EVP calls, each context owned by a unique_ptr.
#include "notices/crypto.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>

#include "base/c_handle.hpp"
#include "base/hex_digit.hpp"

namespace boai::notices {

namespace {

using MdContext = CHandle<EVP_MD_CTX, EVP_MD_CTX_free>;
using CipherContext = CHandle<EVP_CIPHER_CTX, EVP_CIPHER_CTX_free>;

constexpr std::size_t kGcmTagBytes = 16;

const unsigned char* bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

bool is_base64_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '/';
}

}  // namespace

void PkeyFree::operator()(EVP_PKEY* key) const noexcept {
  EVP_PKEY_free(key);
}

std::optional<std::string> base64_decode(std::string_view text) {
  // EVP_DecodeBlock skips whitespace and pads its output: check the alphabet ourselves and
  // take the padding off what it wrote.
  if (text.empty() || text.size() % 4 != 0 || text.size() > (1u << 30)) {
    return text.empty() ? std::optional<std::string>("") : std::nullopt;
  }
  std::size_t pad = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '=' && i + 2 >= text.size()) {
      ++pad;
    } else if (!is_base64_char(c) || pad > 0) {
      return std::nullopt;
    }
  }
  std::string out(text.size() / 4 * 3, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes(text),
                          static_cast<int>(text.size()));
  if (n < 0 || static_cast<std::size_t>(n) < pad) {
    return std::nullopt;
  }
  out.resize(static_cast<std::size_t>(n) - pad);
  return out;
}

std::string base64_encode(std::string_view data) {
  std::string out((data.size() + 2) / 3 * 4 + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes(data),
                          static_cast<int>(data.size()));
  out.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
  return out;
}

std::optional<std::string> hex_decode(std::string_view text) {
  if (text.size() % 2 != 0) {
    return std::nullopt;
  }
  std::string out;
  out.reserve(text.size() / 2);
  for (std::size_t i = 0; i < text.size(); i += 2) {
    int hi = hex_digit_value(text[i]);
    int lo = hex_digit_value(text[i + 1]);
    if (hi < 0 || lo < 0) {
      return std::nullopt;
    }
    out.push_back(static_cast<char>(hi * 16 + lo));
  }
  return out;
}

std::string hex_encode(std::string_view data) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(data.size() * 2);
  for (unsigned char c : data) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

bool rsa_sha256_verify(EVP_PKEY* key, std::string_view message, std::string_view signature) {
  if (key == nullptr || EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA || signature.empty()) {
    return false;
  }
  MdContext ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1) {
    return false;
  }
  return EVP_DigestVerify(ctx.get(), bytes(signature), signature.size(), bytes(message),
                          message.size()) == 1;
}

std::optional<std::string> aes_256_gcm_decrypt(std::string_view key, std::string_view nonce,
                                               std::string_view associated_data,
                                               std::string_view ciphertext_and_tag) {
  if (key.size() != 32 || nonce.empty() || nonce.size() > 64 ||
      ciphertext_and_tag.size() < kGcmTagBytes) {
    return std::nullopt;
  }
  auto ciphertext = ciphertext_and_tag.substr(0, ciphertext_and_tag.size() - kGcmTagBytes);
  std::string tag(ciphertext_and_tag.substr(ciphertext.size()));
  CipherContext ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  std::string out(ciphertext.size() + 16, '\0');
  auto* dst = reinterpret_cast<unsigned char*>(out.data());
  bool ok = ctx &&
            EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(nonce.size()),
                                nullptr) == 1 &&
            EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, bytes(key), bytes(nonce)) == 1 &&
            (associated_data.empty() ||
             EVP_DecryptUpdate(ctx.get(), nullptr, &len, bytes(associated_data),
                               static_cast<int>(associated_data.size())) == 1) &&
            EVP_DecryptUpdate(ctx.get(), dst, &len, bytes(ciphertext),
                              static_cast<int>(ciphertext.size())) == 1;
  if (!ok) {
    return std::nullopt;
  }
  int written = len;
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kGcmTagBytes),
                          tag.data()) != 1 ||
      EVP_DecryptFinal_ex(ctx.get(), dst + written, &len) != 1) {
    return std::nullopt;
  }
  out.resize(static_cast<std::size_t>(written + len));
  return out;
}

std::string hmac_sha256(std::string_view key, std::string_view message) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), bytes(message), message.size(),
       mac.data(), &len);
  return std::string(reinterpret_cast<const char*>(mac.data()), len);
}

bool same_bytes(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace boai::notices
