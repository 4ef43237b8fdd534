// A served file's name with its content hash: "js/viewer.js" becomes "js/viewer.3f2a1b9c0d.js".
// The static build writes such names; the file mounts and nginx know them by their shape and let
// browsers keep them a year.
#pragma once

#include <string>
#include <string_view>

namespace boai::assets {

// Hex digits of SHA-256 kept in a name: 40 bits, no clash to fear among a site's few hundred
// files, short enough to read in a log.
inline constexpr std::size_t kHashDigits = 10;

std::string sha256_hex(std::string_view bytes);
// The path with kHashDigits of the digest before its last extension (after the name when it has
// none).
std::string hashed_path(std::string_view path, std::string_view hex_digest);
// Whether the path's file name carries a hash as hashed_path writes it.
bool carries_content_hash(std::string_view path);

}  // namespace boai::assets
