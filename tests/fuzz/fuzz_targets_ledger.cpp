// Fuzz targets for what the ledger's checks read from outside: checkpoints published by a station
// (a file or a URL's answer, for `verify --checkpoints`) and the local checkpoint file of
// `verify --from-checkpoint`. Mutated checkpoints are also checked against a real key, so the
// signature check runs on every shape that parses. And the rows of COPY's text that export and
// verify read the ledger by.
#include <algorithm>
#include <stdexcept>
#include <string>
#include <string_view>

#include "donations/ledger_checkpoint.hpp"
#include "openbooks/ledger_key.hpp"
#include "openbooks/published_checkpoints.hpp"
#include "sql/result.hpp"
#include "tests/fuzz/fuzz_targets.hpp"

namespace boai::fuzz {

namespace {

// The key that signed the first seed; what the fuzzer changes in it no longer verifies.
const openbooks::PublicKey& station_key() {
  static const auto key =
      *openbooks::parse_public_key("R8K0i5E1RZXg0zba5dM8luCjKXKom6r/QF6QGd+MtRM=");
  return key;
}

}  // namespace

void published_checkpoints(const std::uint8_t* data, std::size_t size) {
  auto published = openbooks::parse_published(view(data, size));
  if (!published) {
    require(published.error().code == "checkpoints_invalid", "one stable code for a bad file");
    return;
  }
  auto heads = openbooks::trusted_heads(published->checkpoints, station_key());
  if (!heads) {
    require(heads.error().code == "checkpoint_forged", "one stable code for a bad signature");
    return;
  }
  for (std::size_t i = 0; i < heads->size(); ++i) {
    const auto& h = (*heads)[i];
    require(i == 0 || (*heads)[i - 1].seq <= h.seq, "heads come in seq order");
    bool signed_so = false;
    for (const auto& c : published->checkpoints) {
      signed_so = signed_so || (c.seq == h.seq && c.head_hash == h.hash);
    }
    require(signed_so, "every head is one a checkpoint signed");
  }
}

void local_checkpoint(const std::uint8_t* data, std::size_t size) {
  auto parsed = donations::parse_checkpoint(view(data, size));
  if (!parsed) {
    require(parsed.error().code == "checkpoint_invalid", "one stable code for a bad file");
    return;
  }
  auto again = donations::parse_checkpoint(donations::format_checkpoint(*parsed));
  require(again && again->seq == parsed->seq && again->hash == parsed->hash &&
              again->sums == parsed->sums,
          "a checkpoint reads back as it was written");
}

// Each line through one reused row, as copy_rows does: its fields must read as those of the
// same line in a row of its own, whatever the lines before it grew.
void copy_row(const std::uint8_t* data, std::size_t size) {
  auto text = view(data, size);
  sql::CopyRow reused;
  for (std::size_t start = 0; start <= text.size();) {
    auto end = text.find('\n', start);
    auto line = text.substr(start, end == std::string_view::npos ? end : end - start);
    reused.parse(line);
    sql::CopyRow fresh;
    fresh.parse(line);
    require(reused.columns() == fresh.columns(), "the same line has the same columns");
    require(static_cast<std::size_t>(reused.columns()) ==
                static_cast<std::size_t>(std::count(line.begin(), line.end(), '\t')) + 1,
            "a column per tab, and one");
    for (int c = 0; c < reused.columns(); ++c) {
      require(reused.is_null(c) == fresh.is_null(c) && reused.text(c) == fresh.text(c),
              "a reused row reads each field as a fresh one");
    }
    if (end == std::string_view::npos) {
      break;
    }
    start = end + 1;
  }
}

std::vector<std::string> copy_row_seeds() {
  return {"1\tpledge\t1796447332415015\t1\t1\t1\t\\N\t\\N\t1000\t张*\tBK100000\tlive\t" +
              std::string(64, '0') + "\t" + std::string(64, 'a') + "\n",
          "a\\nb\tplain\nx\\ty\t1\t2\t3\t4\t5\t6\t7\tlast\\\\one\\101\\x42\n", "\\N\n\\\n\t\t\n",
          ""};
}

std::vector<std::string> checkpoint_seeds() {
  return {R"({"key":{"id":"f994eb27922f84d5",)"
          R"("public_key":"R8K0i5E1RZXg0zba5dM8luCjKXKom6r/QF6QGd+MtRM="},)"
          R"("checkpoints":[{"seq":1,"head_hash":)"
          R"("8cce1d915fc32b3b5ed0cd96243f4d14edb7468ae421a344f4a5064fe2536ad7",)"
          R"("at_us":1796438026316674,"key_id":"f994eb27922f84d5","signature":)"
          R"("KVI9GwaQGPIokWFSfO80vLk81izFKzznigqVoZSjDmSDBoZIhfXHX/EkPv69vgKK5Trw9O)"
          R"(RpC6i2VxrI+grXAg=="}]})",
          R"([{"seq":4,"head_hash":"00","at_us":0,"signature":""}])",
          R"({"checkpoints":[{"seq":"x"}]})",
          R"({"key":{"public_key":"AAAA"},"checkpoints":[]})",
          "boai-ledger-checkpoint-v2\nseq=3\nhash=" + std::string(64, 'a') +
              "\ntotals=1 1 100 0 100 0 0 1 0 0 0 0 0\n",
          "boai-ledger-checkpoint-v2\nseq=0\nhash=" + std::string(64, '0') + "\n",
          "boai-ledger-checkpoint-v1\nseq=-1\n",
          "[]",
          ""};
}

}  // namespace boai::fuzz
