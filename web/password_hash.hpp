// Staff passwords stored with scrypt (OpenSSL 3) as one self-describing string, so that the cost
// can be raised later without breaking the hashes already stored.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace boai::web {

struct ScryptParams {
  std::uint64_t n = std::uint64_t{1} << 15;  // 32 MiB of memory with r = 8
  std::uint64_t r = 8;
  std::uint64_t p = 1;
};

// A server's cost: about a tenth of a second, which a person signing in does not notice.
inline constexpr ScryptParams kServerScrypt{};

// "scrypt$N$r$p$SALT$HASH" with a fresh random 16-byte salt, SALT and HASH in base64.
// Throws on an OpenSSL failure (out of memory, no randomness): a broken machine, not bad input.
std::string hash_password(std::string_view password, const ScryptParams& params = kServerScrypt);

// True when password matches encoded; false for a wrong password and for any encoding that is not
// one hash_password could have written (costs out of range, bad base64, a hash not 32 bytes long).
// The comparison takes the same time wherever the bytes differ.
bool verify_password(std::string_view password, std::string_view encoded);

}  // namespace boai::web
