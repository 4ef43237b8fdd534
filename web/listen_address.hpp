// Whether boai can listen where it was told to, asked before anything else starts.
#pragma once

#include <optional>
#include <string>

#include "base/error.hpp"

namespace boai::web {

// Binds once to tell a person, before anything else starts, that the address is taken.
// Errors: port_in_use, listen_failed.
std::optional<Error> check_listen_address(const std::string& host, int port);

}  // namespace boai::web
