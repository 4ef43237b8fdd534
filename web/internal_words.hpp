// What a client sees of an internal failure: an error answer whose code is internal (libpq's,
// an exception's) keeps its code, its words go to the log, and the client gets a fixed sentence.
#pragma once

#include <string>

#include "web/http_types.hpp"

namespace boai::web {

// Every route's answer passes here on its way out; answers that are no such error are left alone.
void hide_internal_words(HttpResponse& response, const std::string& path);

}  // namespace boai::web
