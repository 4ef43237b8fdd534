// Runs every fuzz target on its seeds and on deterministic random mutations of them, so each
// ctest run (under ASan and UBSan in CI) exercises the parsers with hostile input.
#include <cstdio>
#include <cstdlib>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/fuzz/fuzz_seeds.hpp"

namespace {

// Edits a seed: bytes inserted (from the parsers' usual alphabet, or from the target's own
// seeds), removed, replaced at random, or a prefix of it repeated.
std::string mutate(std::string s, const std::string& alphabet, std::mt19937& rng) {
  static const char kBytes[] = "{}[]\":,\\0123456789.-eE ¥,元\xff\x80\xe5";
  int edits = 1 + static_cast<int>(rng() % 8);
  for (int i = 0; i < edits; ++i) {
    std::size_t pos = s.empty() ? 0 : rng() % (s.size() + 1);
    switch (rng() % 5) {
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
      case 3:
        if (!alphabet.empty()) {
          s.insert(pos, 1, alphabet[rng() % alphabet.size()]);
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

// The input as a C string literal, to paste into a seed list or a test.
std::string escaped(const std::string& input) {
  std::string out = "\"";
  for (unsigned char c : input) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02x", c);
      out += hex;
    }
  }
  return out + "\"";
}

}  // namespace

int main(int argc, char** argv) {
  long iterations = argc > 1 ? std::atol(argv[1]) : 20000;
  std::mt19937 rng(20261128);
  for (const auto& target : boai::fuzz::fuzz_targets()) {
    std::string alphabet;
    for (const auto& seed : target.seeds) {
      alphabet += seed;
    }
    long runs = 0;
    std::string input;
    try {
      for (const auto& seed : target.seeds) {
        input = seed;
        target.run(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
        ++runs;
      }
      for (long i = 0; i < iterations; ++i) {
        input = mutate(target.seeds[rng() % target.seeds.size()], alphabet, rng);
        target.run(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
        ++runs;
      }
    } catch (const std::exception& e) {
      std::printf("%s: property failed after %ld inputs: %s\non %s\n", target.name, runs, e.what(),
                  escaped(input).c_str());
      return 1;
    }
    std::printf("%s: %ld inputs\n", target.name, runs);
  }
  return 0;
}
