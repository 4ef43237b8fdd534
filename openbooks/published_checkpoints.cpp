#include "openbooks/published_checkpoints.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace boai::openbooks {

using nlohmann::json;

std::expected<PublishedCheckpoints, Error> parse_published(std::string_view text) {
  json doc = json::parse(text, nullptr, false);
  const json* list = &doc;
  PublishedCheckpoints out;
  if (doc.is_object()) {
    if (!doc.contains("checkpoints")) {
      return std::unexpected(Error{"checkpoints_invalid", "no \"checkpoints\" in the document"});
    }
    list = &doc["checkpoints"];
    if (doc.contains("key") && doc["key"].is_object() && doc["key"].contains("public_key") &&
        doc["key"]["public_key"].is_string()) {
      auto key = parse_public_key(doc["key"]["public_key"].get<std::string>());
      if (!key) {
        return std::unexpected(Error{"checkpoints_invalid", key.error().message});
      }
      out.key = std::move(*key);
    }
  }
  if (!list->is_array()) {
    return std::unexpected(Error{"checkpoints_invalid",
                                 "not JSON with a list of checkpoints (GET /api/ledger/checkpoints "
                                 "or the export's ledger.json)"});
  }
  for (const auto& item : *list) {
    auto c = checkpoint_from_json(item);
    if (!c) {
      return std::unexpected(Error{"checkpoints_invalid", c.error().message});
    }
    out.checkpoints.push_back(std::move(*c));
  }
  return out;
}

std::expected<std::vector<donations::PublishedHead>, Error> trusted_heads(
    const std::vector<SignedCheckpoint>& checkpoints, const PublicKey& key) {
  std::vector<donations::PublishedHead> heads;
  for (const auto& c : checkpoints) {
    if (!signature_valid(key, checkpoint_message(c.seq, c.head_hash, c.at_us), c.signature)) {
      return std::unexpected(Error{"checkpoint_forged", "the checkpoint at entry " +
                                                            std::to_string(c.seq) +
                                                            " is not signed by the key " + key.id});
    }
    if (c.seq > 0) {
      heads.push_back({c.seq, c.head_hash});
    }
  }
  std::ranges::sort(heads, {}, &donations::PublishedHead::seq);
  // Two signed heads for one seq that differ: the key signed both, so the station forked its own
  // history; keep both and the verify reports whichever the chain does not pass through.
  auto same = [](const auto& a, const auto& b) { return a.seq == b.seq && a.hash == b.hash; };
  heads.erase(std::unique(heads.begin(), heads.end(), same), heads.end());
  return heads;
}

}  // namespace boai::openbooks
