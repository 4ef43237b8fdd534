// Session tokens: HMAC-SHA256 of the id, its first 12 bytes in hex, compared in constant time.
#include "web/session_token.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "web/random_id.hpp"

namespace boai::web {

namespace {

constexpr std::size_t kIdChars = 24;
constexpr std::size_t kSignatureBytes = 12;

std::string signature(const std::string& key, const std::string& id) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(id.data()), id.size(), mac, &size);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < kSignatureBytes && i < size; ++i) {
    out += kHex[mac[i] >> 4];
    out += kHex[mac[i] & 15];
  }
  return out;
}

}  // namespace

std::string session_token(const std::string& key, const std::string& id) {
  return id + "_" + signature(key, id);
}

std::string issue_session(const std::string& key) {
  return session_token(key, random_id());
}

std::optional<std::string> verified_session(const std::string& key, const std::string& token) {
  if (token.size() != kIdChars + 1 + 2 * kSignatureBytes || token[kIdChars] != '_') {
    return std::nullopt;
  }
  std::string id = token.substr(0, kIdChars);
  std::string expected = signature(key, id);
  if (CRYPTO_memcmp(expected.data(), token.data() + kIdChars + 1, expected.size()) != 0) {
    return std::nullopt;
  }
  return id;
}

std::expected<std::string, Error> load_session_key(sql::Connection& conn) {
  auto r = conn.exec("SELECT value FROM station_settings WHERE key = 'live_session_key'");
  if (!r) {
    return std::unexpected(r.error().to_error());
  }
  if (r->rows() == 0) {
    return std::unexpected(
        make_error("session_key_missing", "the database has no live_session_key: boai migrate"));
  }
  return std::string(r->text(0, 0));
}

}  // namespace boai::web
