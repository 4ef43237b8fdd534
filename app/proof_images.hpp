// Proof images of fulfilled wishes: checked (PNG or JPEG by their first bytes, at most 5 MiB) and
// kept under DATA_DIR/proofs with a name nobody can guess in advance, served at /proofs/.
#pragma once

#include <expected>
#include <string>
#include <string_view>

#include "base/error.hpp"

namespace boai::app {

inline constexpr std::size_t kMaxProofBytes = 5 * 1024 * 1024;

// The file's extension for these bytes (".png", ".jpg"). Errors: proof_too_large, proof_not_image.
std::expected<std::string, Error> proof_extension(std::string_view bytes);

// Writes the bytes as a new file in proofs_dir (made if missing); returns the file's name.
std::expected<std::string, Error> save_proof(const std::string& proofs_dir, std::int64_t wish_id,
                                             std::string_view bytes);

}  // namespace boai::app
