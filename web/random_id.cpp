// random_id: 12 random bytes as hex.
#include "web/random_id.hpp"

#include <openssl/rand.h>

namespace boai::web {

std::string random_id() {
  unsigned char bytes[12];
  RAND_bytes(bytes, sizeof bytes);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char b : bytes) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

}  // namespace boai::web
