// The canonical encoding is plain text so that a person with sha256sum can check an entry.
#include "donations/ledger_hash.hpp"

#include <openssl/evp.h>

#include <charconv>
#include <stdexcept>
#include <string_view>

namespace boai::donations {

using namespace std::string_view_literals;

namespace {

constexpr char kHex[] = "0123456789abcdef";

// Runs without a character to escape are appended whole: most texts have none.
void append_escaped(std::string_view text, std::string& out) {
  std::size_t run = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c != '\\' && c != '\n' && c != '\r') {
      continue;
    }
    out.append(text.data() + run, i - run);
    out += c == '\\' ? "\\\\"sv : c == '\n' ? "\\n"sv : "\\r"sv;
    run = i + 1;
  }
  out.append(text.data() + run, text.size() - run);
}

void append_number(std::int64_t value, std::string& out) {
  char digits[24];
  auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  out.append(digits, end);
}

void append_id(const std::optional<std::int64_t>& v, std::string& out) {
  if (v) {
    append_number(*v, out);
  }
}

// Fetched once: EVP_sha256() makes OpenSSL 3 look the algorithm up, under a lock, per call.
const EVP_MD* sha256() {
  static EVP_MD* const kSha256 = EVP_MD_fetch(nullptr, "SHA2-256", nullptr);
  return kSha256;
}

// SHA-256 of data into 32 bytes with a context the caller keeps.
void digest(EVP_MD_CTX* ctx, std::string_view data, unsigned char* out) {
  unsigned int len = 0;
  if (ctx == nullptr || sha256() == nullptr || EVP_DigestInit_ex(ctx, sha256(), nullptr) != 1 ||
      EVP_DigestUpdate(ctx, data.data(), data.size()) != 1 ||
      EVP_DigestFinal_ex(ctx, out, &len) != 1 || len != 32) {
    throw std::runtime_error("OpenSSL SHA-256 failed");
  }
}

}  // namespace

void append_canonical_encoding(const LedgerEntry& e, std::string& out) {
  out += "boai-ledger-v1\nseq="sv;
  append_number(e.seq, out);
  out += "\nkind="sv;
  append_escaped(e.kind, out);
  out += "\nrecorded_us="sv;
  append_number(e.recorded_us, out);
  out += "\ncampaign="sv;
  append_id(e.campaign_id, out);
  out += "\nfund="sv;
  append_number(e.fund_id, out);
  out += "\npledge="sv;
  append_id(e.pledge_id, out);
  out += "\npayment="sv;
  append_id(e.payment_id, out);
  out += "\nobject="sv;
  append_id(e.object_id, out);
  out += "\namount_fen="sv;
  append_number(e.amount_fen, out);
  out += "\npublic_name="sv;
  append_escaped(e.public_name, out);
  out += "\nreference="sv;
  append_escaped(e.reference, out);
  out += "\nmemo="sv;
  append_escaped(e.memo, out);
  out += "\nprev="sv;
  out += e.prev_hash;
  out += "\n"sv;
}

std::string canonical_encoding(const LedgerEntry& e) {
  std::string out;
  append_canonical_encoding(e, out);
  return out;
}

std::string sha256_hex(const std::string& data) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  unsigned char bytes[32];
  digest(ctx.get(), data, bytes);
  std::string hex(64, '0');
  for (int i = 0; i < 32; ++i) {
    hex[2 * i] = kHex[bytes[i] >> 4];
    hex[2 * i + 1] = kHex[bytes[i] & 0xF];
  }
  return hex;
}

std::string entry_hash(const LedgerEntry& e) {
  return sha256_hex(canonical_encoding(e));
}

void EntryHasher::FreeContext::operator()(evp_md_ctx_st* ctx) const noexcept {
  EVP_MD_CTX_free(ctx);
}

EntryHasher::EntryHasher() : ctx_(EVP_MD_CTX_new()) {}

EntryHasher::~EntryHasher() = default;

std::string_view EntryHasher::hash(const LedgerEntry& e) {
  encoding_.clear();
  append_canonical_encoding(e, encoding_);
  unsigned char bytes[32];
  digest(ctx_.get(), encoding_, bytes);
  for (std::size_t i = 0; i < 32; ++i) {
    hex_[2 * i] = kHex[bytes[i] >> 4];
    hex_[2 * i + 1] = kHex[bytes[i] & 0xF];
  }
  return {hex_.data(), hex_.size()};
}

}  // namespace boai::donations
