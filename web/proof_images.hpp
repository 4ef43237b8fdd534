// Proof images of fulfilled wishes and photos of sale items: checked (PNG or JPEG by their first
// bytes, at most 5 MiB) and kept under DATA_DIR/proofs with a name nobody can guess in advance,
// served at /proofs/.
#pragma once

#include <expected>
#include <string>
#include <string_view>

#include "base/error.hpp"

namespace boai::web {

inline constexpr std::size_t kMaxProofBytes = 5 * 1024 * 1024;

// The file's extension for these bytes (".png", ".jpg"). Errors: proof_too_large, proof_not_image.
std::expected<std::string, Error> proof_extension(std::string_view bytes);

// Writes the bytes as a new file in proofs_dir (made if missing), named "<prefix>-<random>.png";
// returns the file's name. A wish's proof is "wish-ID", a sale item's photo "item".
std::expected<std::string, Error> save_proof(const std::string& proofs_dir,
                                             const std::string& prefix, std::string_view bytes);

// The same for an image read from a file. Errors: proof_not_found, and save_proof's.
std::expected<std::string, Error> save_proof_file(const std::string& proofs_dir,
                                                  const std::string& prefix,
                                                  const std::string& file);

// Whether name is a file save_proof wrote (its shape, so no path leaves proofs_dir) and it is
// there. Blocking (a stat): call it on a worker thread.
bool is_saved_proof(const std::string& proofs_dir, const std::string& name);

}  // namespace boai::web
