// hashed_name: SHA-256 by OpenSSL and the one shape of a hashed name.
#include "assets/hashed_name.hpp"

#include <openssl/evp.h>

#include <array>

namespace boai::assets {

std::string sha256_hex(std::string_view bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int size = 0;
  EVP_Digest(bytes.data(), bytes.size(), md.data(), &size, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < size; ++i) {
    hex += kHex[md[i] >> 4];
    hex += kHex[md[i] & 0xf];
  }
  return hex;
}

std::string hashed_path(std::string_view path, std::string_view hex_digest) {
  auto name_start = path.rfind('/') == std::string_view::npos ? 0 : path.rfind('/') + 1;
  auto dot = path.rfind('.');
  // A name's leading dot (".htaccess") is not an extension.
  if (dot == std::string_view::npos || dot <= name_start) {
    dot = path.size();
  }
  std::string out(path.substr(0, dot));
  out += '.';
  out += hex_digest.substr(0, kHashDigits);
  out += path.substr(dot);
  return out;
}

bool carries_content_hash(std::string_view path) {
  auto slash = path.rfind('/');
  std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  auto is_hash = [](std::string_view part) {
    if (part.size() != kHashDigits) {
      return false;
    }
    for (char c : part) {
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  };
  // "stem.HASH.ext" or "stem.HASH", with a stem.
  auto last = name.rfind('.');
  if (last == std::string_view::npos || last == 0) {
    return false;
  }
  if (is_hash(name.substr(last + 1))) {
    return true;
  }
  auto before = name.rfind('.', last - 1);
  return before != std::string_view::npos && before > 0 &&
         is_hash(name.substr(before + 1, last - before - 1));
}

}  // namespace boai::assets
