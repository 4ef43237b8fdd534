// security_headers: one policy for the whole site (web/static and every route).
#include "web/security_headers.hpp"

namespace boai::web {

std::vector<std::pair<std::string, std::string>> security_headers(bool tls) {
  // img-src https: lets the station's payment QR (--pay-qr-url) live elsewhere; blob: is hls.js'
  // media source and worker.
  std::vector<std::pair<std::string, std::string>> headers = {
      {"content-security-policy",
       "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob: "
       "https:; media-src 'self' blob:; worker-src 'self' blob:; connect-src 'self'; "
       "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"},
      {"x-content-type-options", "nosniff"},
      {"x-frame-options", "DENY"},
      {"referrer-policy", "strict-origin-when-cross-origin"},
  };
  if (tls) {
    headers.emplace_back("strict-transport-security", "max-age=31536000");
  }
  return headers;
}

}  // namespace boai::web
