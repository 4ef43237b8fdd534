// One GET of an http:// or https:// URL, for the command line only (it blocks): `boai ledger
// verify --checkpoints URL` reads the checkpoints a station, or a copy of them, publishes.
#pragma once

#include <cstddef>
#include <expected>
#include <string>

#include "base/error.hpp"

namespace boai::app {

// The body of a 200 answer, at most max_bytes. https checks the server's certificate against the
// system's trusted roots. Errors: url_invalid, fetch_failed.
std::expected<std::string, Error> fetch_url(const std::string& url, std::size_t max_bytes);

}  // namespace boai::app
