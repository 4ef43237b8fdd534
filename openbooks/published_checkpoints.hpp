// Checkpoints kept outside the station (a file someone saved, the station's own page) read back
// and checked against a key the checker trusts, for `boai ledger verify --checkpoints`.
#pragma once

#include <expected>
#include <optional>
#include <string_view>
#include <vector>

#include "base/error.hpp"
#include "donations/ledger_verify.hpp"
#include "openbooks/checkpoints.hpp"
#include "openbooks/ledger_key.hpp"

namespace boai::openbooks {

struct PublishedCheckpoints {
  std::optional<PublicKey> key;  // the key the document names, if it names one
  std::vector<SignedCheckpoint> checkpoints;
};

// The answer of GET /api/ledger/checkpoints, the export's ledger.json (both {"key", "checkpoints"})
// or a bare array of checkpoints. Errors: checkpoints_invalid.
std::expected<PublishedCheckpoints, Error> parse_published(std::string_view text);

// The heads the checkpoints sign, in seq order, once every signature is key's. Errors:
// checkpoint_forged (naming the first checkpoint whose signature is not key's).
std::expected<std::vector<donations::PublishedHead>, Error> trusted_heads(
    const std::vector<SignedCheckpoint>& checkpoints, const PublicKey& key);

}  // namespace boai::openbooks
