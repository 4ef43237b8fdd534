// The live room's session ids as the server issues them: a random id and its HMAC under the
// station's key (station_settings 'live_session_key'), "<24 hex>_<24 hex>". A phone keeps the
// token from welcome and sends it back in hello; one the server did not sign is replaced by a
// new one, so a mute or ban keyed on a session cannot be escaped by naming another, and no
// phone can take another's.
#pragma once

#include <expected>
#include <optional>
#include <string>

#include "base/error.hpp"
#include "sql/connection.hpp"

namespace boai::web {

// A fresh id (random_id) with its signature.
std::string issue_session(const std::string& key);
// The id a token carries, when the key signed it.
std::optional<std::string> verified_session(const std::string& key, const std::string& token);
// The token of an id.
std::string session_token(const std::string& key, const std::string& id);

// The station's key, read at start (not on the loop). Errors: db_unavailable, and
// session_key_missing before migration 0019.
std::expected<std::string, Error> load_session_key(sql::Connection& conn);

}  // namespace boai::web
