// Reference codes: uniform over the alphabet (32 symbols, so 5 random bits each, no modulo bias).
#include "donations/reference_code.hpp"

#include <openssl/rand.h>

#include <array>
#include <cctype>
#include <stdexcept>

namespace boai::donations {

std::string new_reference_code() {
  std::array<unsigned char, kReferenceLength> random{};
  if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1) {
    throw std::runtime_error("OpenSSL RAND_bytes failed");
  }
  std::string code;
  for (unsigned char r : random) {
    code += kReferenceAlphabet[r % kReferenceAlphabet.size()];
  }
  return code;
}

bool is_reference_code(std::string_view text) {
  if (text.size() != kReferenceLength) {
    return false;
  }
  for (char c : text) {
    if (kReferenceAlphabet.find(c) == std::string_view::npos) {
      return false;
    }
  }
  return true;
}

std::optional<std::string> find_reference_code(std::string_view text) {
  auto is_code_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
  for (std::size_t i = 0; i < text.size();) {
    if (!is_code_char(text[i])) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < text.size() && is_code_char(text[j])) {
      ++j;
    }
    std::string word(text.substr(i, j - i));
    for (auto& c : word) {
      c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    if (is_reference_code(word)) {
      return word;
    }
    i = j;
  }
  return std::nullopt;
}

}  // namespace boai::donations
