// Checkpoint files: a few lines of text a person can read, written atomically.
#include "donations/ledger_checkpoint.hpp"

#include <charconv>
#include <fstream>
#include <sstream>
#include <vector>

namespace boai::donations {

namespace {

constexpr std::string_view kFirstLine = "boai-ledger-checkpoint-v2";

Error invalid(const std::string& why) {
  return make_error("checkpoint_invalid", "the checkpoint " + why);
}

std::optional<std::int64_t> number(std::string_view text) {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

bool is_hash(std::string_view text) {
  return text.size() == 64 && text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

// "CAMPAIGN FUND" then the totals columns in kTotalsColumnNames' order.
bool parse_totals(std::string_view text, LedgerSums& sums) {
  std::vector<std::int64_t> values;
  for (std::size_t start = 0; start <= text.size();) {
    auto space = text.find(' ', start);
    auto word = text.substr(start, space == std::string_view::npos ? space : space - start);
    auto value = number(word);
    if (!value) {
      return false;
    }
    values.push_back(*value);
    if (space == std::string_view::npos) {
      break;
    }
    start = space + 1;
  }
  if (values.size() != 2 + kTotalsColumnCount) {
    return false;
  }
  Sums s{};
  std::copy(values.begin() + 2, values.end(), s.begin());
  return sums.emplace(std::make_pair(values[0], values[1]), s).second;
}

}  // namespace

std::string format_checkpoint(const Checkpoint& c) {
  std::string out =
      std::string(kFirstLine) + "\nseq=" + std::to_string(c.seq) + "\nhash=" + c.hash + "\n";
  for (const auto& [key, s] : c.sums) {
    out += "totals=" + std::to_string(key.first) + " " + std::to_string(key.second);
    for (auto v : s) {
      out += " " + std::to_string(v);
    }
    out += "\n";
  }
  return out;
}

std::expected<Checkpoint, Error> parse_checkpoint(std::string_view text) {
  Checkpoint c;
  bool first = true, has_seq = false, has_hash = false;
  for (std::size_t start = 0; start < text.size();) {
    auto end = text.find('\n', start);
    auto line = text.substr(start, end == std::string_view::npos ? end : end - start);
    start = end == std::string_view::npos ? text.size() : end + 1;
    if (first) {
      if (line != kFirstLine) {
        return std::unexpected(invalid("does not start with " + std::string(kFirstLine)));
      }
      first = false;
    } else if (line.starts_with("seq=") && !has_seq) {
      auto seq = number(line.substr(4));
      if (!seq || *seq < 0) {
        return std::unexpected(invalid("has a bad seq"));
      }
      c.seq = *seq;
      has_seq = true;
    } else if (line.starts_with("hash=") && !has_hash && is_hash(line.substr(5))) {
      c.hash = std::string(line.substr(5));
      has_hash = true;
    } else if (!line.starts_with("totals=") || !parse_totals(line.substr(7), c.sums)) {
      return std::unexpected(invalid("has a line it should not: " + std::string(line)));
    }
  }
  if (!has_seq || !has_hash) {
    return std::unexpected(invalid("lacks its seq or hash"));
  }
  return c;
}

std::expected<std::optional<Checkpoint>, Error> load_checkpoint(const std::filesystem::path& file) {
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) {
    return std::optional<Checkpoint>{};
  }
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) {
    return std::unexpected(make_error("checkpoint_unreadable", "cannot read " + file.string()));
  }
  auto c = parse_checkpoint(text.str());
  if (!c) {
    return std::unexpected(Error{c.error().code, file.string() + ": " + c.error().message});
  }
  return std::optional<Checkpoint>{std::move(*c)};
}

std::expected<void, Error> save_checkpoint(const std::filesystem::path& file,
                                           const Checkpoint& checkpoint) {
  auto scratch = file;
  scratch += ".tmp";
  {
    std::ofstream out(scratch, std::ios::binary | std::ios::trunc);
    out << format_checkpoint(checkpoint);
    out.flush();
    if (!out) {
      return std::unexpected(
          make_error("checkpoint_unwritable", "cannot write " + scratch.string()));
    }
  }
  std::error_code ec;
  std::filesystem::rename(scratch, file, ec);
  if (ec) {
    return std::unexpected(make_error("checkpoint_unwritable",
                                      "cannot rename " + scratch.string() + ": " + ec.message()));
  }
  return {};
}

}  // namespace boai::donations
