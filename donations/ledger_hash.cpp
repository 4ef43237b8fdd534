// The canonical encoding is plain text so that a person with sha256sum can check an entry.
#include "donations/ledger_hash.hpp"

#include <openssl/evp.h>

#include <memory>
#include <stdexcept>

namespace boai::donations {

namespace {

std::string escaped(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else {
      out += c;
    }
  }
  return out;
}

std::string id(const std::optional<std::int64_t>& v) {
  return v ? std::to_string(*v) : "";
}

}  // namespace

std::string canonical_encoding(const LedgerEntry& e) {
  return "boai-ledger-v1\n"
         "seq=" +
         std::to_string(e.seq) + "\n" + "kind=" + escaped(e.kind) + "\n" +
         "recorded_us=" + std::to_string(e.recorded_us) + "\n" + "campaign=" + id(e.campaign_id) +
         "\n" + "fund=" + std::to_string(e.fund_id) + "\n" + "pledge=" + id(e.pledge_id) + "\n" +
         "payment=" + id(e.payment_id) + "\n" + "object=" + id(e.object_id) + "\n" +
         "amount_fen=" + std::to_string(e.amount_fen) + "\n" +
         "public_name=" + escaped(e.public_name) + "\n" + "reference=" + escaped(e.reference) +
         "\n" + "memo=" + escaped(e.memo) + "\n" + "prev=" + e.prev_hash + "\n";
}

std::string sha256_hex(const std::string& data) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  // Fetched once: EVP_sha256() makes OpenSSL 3 look the algorithm up, under a lock, per call.
  static EVP_MD* const kSha256 = EVP_MD_fetch(nullptr, "SHA2-256", nullptr);
  if (!ctx || kSha256 == nullptr || EVP_DigestInit_ex(ctx.get(), kSha256, nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), data.data(), data.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), digest, &len) != 1) {
    throw std::runtime_error("OpenSSL SHA-256 failed");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * len);
  for (unsigned int i = 0; i < len; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0xF];
  }
  return hex;
}

std::string entry_hash(const LedgerEntry& e) {
  return sha256_hex(canonical_encoding(e));
}

}  // namespace boai::donations
