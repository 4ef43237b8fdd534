// Cross-site requests refused before any route runs: a page of another site must not make a
// signed-in member's browser sign in, sign out, refund or upload. A state-changing request
// (anything but GET, HEAD and OPTIONS) must come from our own origin (Origin, else
// Sec-Fetch-Site) and, to a JSON route, say application/json: no other site's page can send that
// without a CORS preflight, which this server never grants.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "web/http_types.hpp"

namespace boai::web {

// 403 cross_site, 415 json_required, or nullopt to let the request through. allowed_origins as
// WsLimits has them (empty: the request's own Host only). Requests without Origin or
// Sec-Fetch-Site (not browsers: curl, providers) are not cross-site.
std::optional<HttpResponse> refuse_cross_site(const HttpRequest& request, RequestGuard guard,
                                              const std::vector<std::string>& allowed_origins);

}  // namespace boai::web
