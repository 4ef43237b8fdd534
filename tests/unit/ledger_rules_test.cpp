// The ledger's pure rules: text checks, masked names, reference codes, the canonical encoding
// and the chain check.
#include <catch2/catch.hpp>

#include "donations/ledger_hash.hpp"
#include "donations/ledger_verify.hpp"
#include "donations/reference_code.hpp"
#include "donations/text_rules.hpp"

using namespace boai::donations;

TEST_CASE("UTF-8 is checked, and lengths count characters") {
  CHECK(is_valid_utf8("张三 hello"));
  CHECK(is_valid_utf8(""));
  CHECK_FALSE(is_valid_utf8("\xff"));
  CHECK_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong "/"
  CHECK_FALSE(is_valid_utf8("\xED\xA0\x80"));      // a surrogate
  CHECK_FALSE(is_valid_utf8("\xE5\xBC"));          // cut short
  CHECK_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // past U+10FFFF
  CHECK(is_storable_text("张三 hello"));
  CHECK_FALSE(is_storable_text(std::string("bad\0byte", 8)));  // valid UTF-8, but not for text
  CHECK_FALSE(is_storable_text("\xff"));
  CHECK(char_count("张三丰") == 3);
  CHECK(char_count("abc") == 3);
}

TEST_CASE("public surfaces see masked names") {
  CHECK(mask_name("张三", false) == "张*");
  CHECK(mask_name("张三丰", false) == "张**");
  CHECK(mask_name("欧阳娜娜娜", false) == "欧**");
  CHECK(mask_name("李", false) == "李*");
  CHECK(mask_name("Lily", false) == "L***");
  CHECK(mask_name("Li", false) == "L***");
  CHECK(mask_name("  王五 ", false) == "王*");
  CHECK(mask_name("张三", true) == "爱心人士");
  CHECK(mask_name("", false) == "爱心人士");
  CHECK(mask_name("\xff\xfe", false) == "爱心人士");
}

TEST_CASE("reference codes are 8 readable characters, found in remarks") {
  for (int i = 0; i < 200; ++i) {
    auto code = new_reference_code();
    REQUIRE(is_reference_code(code));
    for (char c : code) {
      CHECK(std::string("0O1I").find(c) == std::string::npos);
    }
  }
  CHECK_FALSE(is_reference_code("ABCDEFG0"));
  CHECK_FALSE(is_reference_code("ABCDEFG"));
  CHECK(find_reference_code("捐款 7kq2mz9d 张三") == "7KQ2MZ9D");
  CHECK(find_reference_code("ref:7KQ2MZ9D") == "7KQ2MZ9D");
  CHECK_FALSE(find_reference_code("no code here 12345678901"));
}

namespace {

std::vector<LedgerEntry> chain(int n) {
  std::vector<LedgerEntry> out;
  std::string prev = kGenesisHash;
  for (int i = 1; i <= n; ++i) {
    LedgerEntry e;
    e.seq = i;
    e.kind = "pledge";
    e.recorded_us = 1'700'000'000'000'000 + i;
    e.campaign_id = 1;
    e.fund_id = 1;
    e.pledge_id = i;
    e.amount_fen = 100 * i;
    e.public_name = "张*";
    e.reference = "ABCDEFGH";
    e.memo = "line\nbreak \\ slash";
    e.prev_hash = prev;
    e.entry_hash = entry_hash(e);
    prev = e.entry_hash;
    out.push_back(e);
  }
  return out;
}

}  // namespace

TEST_CASE("the canonical encoding names every field, escaped, in a fixed order") {
  auto e = chain(1)[0];
  auto text = canonical_encoding(e);
  CHECK(text.starts_with("boai-ledger-v1\nseq=1\nkind=pledge\n"));
  CHECK(text.find("memo=line\\nbreak \\\\ slash\n") != std::string::npos);
  CHECK(text.find("payment=\n") != std::string::npos);
  CHECK(entry_hash(e) == sha256_hex(text));
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("the worked example of docs/LEDGER.md hashes as the page says") {
  LedgerEntry e;
  e.seq = 1;
  e.kind = "pledge";
  e.recorded_us = 1'764'316'800'000'000;
  e.campaign_id = 1;
  e.fund_id = 1;
  e.pledge_id = 1;
  e.amount_fen = 10050;
  e.public_name = "张*";
  e.reference = "K7QX2M9P";
  e.memo = "live";
  e.prev_hash = kGenesisHash;
  CHECK(canonical_encoding(e) ==
        "boai-ledger-v1\nseq=1\nkind=pledge\nrecorded_us=1764316800000000\ncampaign=1\nfund=1\n"
        "pledge=1\npayment=\nobject=\namount_fen=10050\npublic_name=张*\nreference=K7QX2M9P\n"
        "memo=live\nprev=" +
            kGenesisHash + "\n");
  CHECK(entry_hash(e) == "1f21ba9631cd6c5835f4b9af08b4ccfc20e6c2f929b5d4ba8ac9b0e60f9f08f2");
}

TEST_CASE("an intact chain verifies") {
  auto c = chain(5);
  auto r = verify_chain(c, 5, c.back().entry_hash);
  CHECK(r.ok());
  CHECK(r.entries == 5);
  CHECK(r.head_hash == c.back().entry_hash);
  CHECK(verify_chain({}, 0, kGenesisHash).ok());
}

TEST_CASE("alterations, deletions, insertions and reorderings are caught at the first bad entry") {
  auto c = chain(5);
  auto head = c.back().entry_hash;

  auto altered = c;
  altered[2].amount_fen += 1;
  auto r = verify_chain(altered, 5, head);
  CHECK(r.first_bad_seq == 3);
  CHECK(r.problems[0].find("altered") != std::string::npos);

  auto deleted = c;
  deleted.erase(deleted.begin() + 1);
  r = verify_chain(deleted, 5, head);
  CHECK(r.first_bad_seq == 3);
  CHECK(r.problems[0].find("missing") != std::string::npos);

  auto reordered = c;
  std::swap(reordered[1], reordered[2]);
  CHECK(verify_chain(reordered, 5, head).first_bad_seq == 3);

  auto renumbered = c;  // swapped and renumbered to look in order
  std::swap(renumbered[1], renumbered[2]);
  renumbered[1].seq = 2;
  renumbered[2].seq = 3;
  CHECK(verify_chain(renumbered, 5, head).first_bad_seq == 2);

  auto truncated = c;
  truncated.pop_back();
  r = verify_chain(truncated, 5, head);
  CHECK_FALSE(r.ok());
  CHECK(r.problems[0].find("chain head") != std::string::npos);

  auto forged = c;  // a well-formed extra entry the head does not know about
  auto extra = chain(6).back();
  forged.push_back(extra);
  CHECK_FALSE(verify_chain(forged, 5, head).ok());
}
