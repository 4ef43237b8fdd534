// Runs every fuzz target on a seed corpus and on deterministic random mutations of it, so each
// ctest run (under ASan and UBSan in CI) exercises the parsers with hostile input.
#include <cstdio>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "tests/fuzz/fuzz_targets.hpp"

namespace {

using Target = std::function<void(const std::uint8_t*, std::size_t)>;

const std::vector<std::string> kSeeds = {
    "", "{}", R"({"type":"hello","room":"firstaid","last_seq":3})",
    R"({"type":"pledge.create","rid":"1","idempotency_key":"k-12345678","amount_fen":5000})",
    R"({"type":"chat.send","text":"大家好"})", "¥1,234.50", "100.5", "1234.50元", "RMB 20",
    "捐款 7KQ2MZ9D 张三", "张三丰", "Lily", "\xe5\xbc\xa0", "0001_foundation.sql",
    // Command lines: arguments separated by NUL bytes.
    std::string("serve") + '\0' + "--listen" + '\0' + "127.0.0.1:0",
    std::string("pledge") + '\0' + "add" + '\0' + "--amount" + '\0' + "x", "\xff\xfe\xfd",
    "{\"type\":\"x\",\"rid\":[1,2]}", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["};

std::string mutate(std::string s, std::mt19937& rng) {
  static const char kBytes[] = "{}[]\":,\\0123456789.-eE ¥,元\xff\x80\xe5";
  int edits = 1 + static_cast<int>(rng() % 8);
  for (int i = 0; i < edits; ++i) {
    std::size_t pos = s.empty() ? 0 : rng() % (s.size() + 1);
    switch (rng() % 4) {
      case 0:
        s.insert(pos, 1, kBytes[rng() % (sizeof kBytes - 1)]);
        break;
      case 1:
        if (!s.empty() && pos < s.size()) {
          s.erase(pos, 1 + rng() % 3);
        }
        break;
      case 2:
        if (pos < s.size()) {
          s[pos] = static_cast<char>(rng());
        }
        break;
      default:
        s.insert(pos, s.substr(0, rng() % (s.size() + 1)));
        break;
    }
  }
  if (s.size() > 4096) {
    s.resize(4096);
  }
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  long iterations = argc > 1 ? std::atol(argv[1]) : 20000;
  std::vector<std::pair<const char*, Target>> targets = {
      {"client_frame", boai::fuzz::client_frame},     {"money", boai::fuzz::money},
      {"reference_code", boai::fuzz::reference_code}, {"text_rules", boai::fuzz::text_rules},
      {"migration_name", boai::fuzz::migration_name}, {"command_line", boai::fuzz::command_line}};
  std::mt19937 rng(20261128);
  for (const auto& [name, target] : targets) {
    long runs = 0;
    try {
      for (const auto& seed : kSeeds) {
        target(reinterpret_cast<const std::uint8_t*>(seed.data()), seed.size());
        ++runs;
      }
      for (long i = 0; i < iterations; ++i) {
        auto input = mutate(kSeeds[rng() % kSeeds.size()], rng);
        target(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
        ++runs;
      }
    } catch (const std::exception& e) {
      std::printf("%s: property failed after %ld inputs: %s\n", name, runs, e.what());
      return 1;
    }
    std::printf("%s: %ld inputs\n", name, runs);
  }
  return 0;
}
