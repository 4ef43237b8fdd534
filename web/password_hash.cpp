// scrypt through EVP_PBE_scrypt, salts from RAND_bytes, base64 through EVP_EncodeBlock, and
// CRYPTO_memcmp so that a comparison does not stop at the first differing byte.
#include "web/password_hash.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <charconv>
#include <optional>
#include <stdexcept>
#include <vector>

namespace boai::web {

namespace {

using Bytes = std::vector<unsigned char>;

constexpr std::string_view kScheme = "scrypt";
constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kHashBytes = 32;
// A stored hash may not make verification take more memory than this: an edited row must not be
// able to take the server down.
constexpr std::uint64_t kMaxMemory = std::uint64_t{256} << 20;

std::string base64(const Bytes& bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes.data(),
                          static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

// Strict: only what base64() writes decodes, so the encoded string has one spelling.
std::optional<Bytes> unbase64(std::string_view text) {
  if (text.empty() || text.size() % 4 != 0) {
    return std::nullopt;
  }
  Bytes out(text.size() / 4 * 3);
  int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()),
                          static_cast<int>(text.size()));
  if (n < 0) {
    return std::nullopt;
  }
  std::size_t padding = text.ends_with("==") ? 2 : text.ends_with("=") ? 1 : 0;
  out.resize(static_cast<std::size_t>(n) - padding);
  if (base64(out) != text) {
    return std::nullopt;
  }
  return out;
}

std::optional<std::uint64_t> number(std::string_view text) {
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return std::nullopt;
  }
  if (std::to_string(value) != text) {
    return std::nullopt;  // no leading zeros or signs
  }
  return value;
}

bool sane(const ScryptParams& params) {
  bool power_of_two = params.n >= 2 && (params.n & (params.n - 1)) == 0;
  if (!power_of_two || params.n > (std::uint64_t{1} << 20)) {
    return false;
  }
  if (params.r < 1 || params.r > 32 || params.p < 1 || params.p > 16) {
    return false;
  }
  return 128 * params.r * (params.n + params.p + 2) <= kMaxMemory;
}

// nullopt when OpenSSL refuses (parameters it does not accept, or no memory).
std::optional<Bytes> scrypt(std::string_view password, const Bytes& salt,
                            const ScryptParams& params, std::size_t length) {
  Bytes key(length);
  // OpenSSL's own limit is 32 MiB by default, exactly what N = 2^15, r = 8 needs plus a little.
  std::uint64_t max_memory = 128 * params.r * (params.n + params.p + 2) + (std::uint64_t{1} << 20);
  if (EVP_PBE_scrypt(password.data(), password.size(), salt.data(), salt.size(), params.n, params.r,
                     params.p, max_memory, key.data(), key.size()) != 1) {
    return std::nullopt;
  }
  return key;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  for (;;) {
    auto at = text.find(separator);
    parts.push_back(text.substr(0, at));
    if (at == std::string_view::npos) {
      return parts;
    }
    text.remove_prefix(at + 1);
  }
}

}  // namespace

std::string hash_password(std::string_view password, const ScryptParams& params) {
  if (!sane(params)) {
    throw std::invalid_argument("scrypt parameters out of range");
  }
  Bytes salt(kSaltBytes);
  if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1) {
    throw std::runtime_error("OpenSSL RAND_bytes failed");
  }
  auto key = scrypt(password, salt, params, kHashBytes);
  if (!key) {
    throw std::runtime_error("OpenSSL scrypt failed");
  }
  return std::string(kScheme) + "$" + std::to_string(params.n) + "$" + std::to_string(params.r) +
         "$" + std::to_string(params.p) + "$" + base64(salt) + "$" + base64(*key);
}

bool verify_password(std::string_view password, std::string_view encoded) {
  auto parts = split(encoded, '$');
  if (parts.size() != 6 || parts[0] != kScheme) {
    return false;
  }
  auto n = number(parts[1]), r = number(parts[2]), p = number(parts[3]);
  if (!n || !r || !p) {
    return false;
  }
  ScryptParams params{*n, *r, *p};
  if (!sane(params)) {
    return false;
  }
  auto salt = unbase64(parts[4]);
  auto stored = unbase64(parts[5]);
  if (!salt || !stored || salt->size() < 8 || salt->size() > 64) {
    return false;
  }
  // Exactly the length written: a shorter hash would still match, being a prefix of the longer.
  if (stored->size() != kHashBytes) {
    return false;
  }
  auto key = scrypt(password, *salt, params, stored->size());
  return key && CRYPTO_memcmp(key->data(), stored->data(), stored->size()) == 0;
}

}  // namespace boai::web
