// Random identifiers for sessions and nodes: 24 hex digits from OpenSSL's generator.
#pragma once

#include <string>

namespace boai::web {

std::string random_id();

}  // namespace boai::web
