// Uploads are for signed-in staff only: the bytes are checked by their first bytes (not by what the
// browser says they are) and kept under a name nobody can guess.
#include "app/photo_routes.hpp"

#include <limits>

#include "app/route_support.hpp"
#include "app/staff_gate.hpp"
#include "web/proof_images.hpp"
#include "web/query_params.hpp"

namespace boai::app {

namespace {

// "wish-12" for ?wish=12, "item" without it; nullopt for a wish id that is not a number.
std::optional<std::string> file_prefix(const web::HttpRequest& request) {
  auto wish = web::query_value(request.query, "wish");
  if (!wish) {
    return "item";
  }
  auto id = web::parse_bounded(*wish, std::numeric_limits<std::int64_t>::max());
  if (!id || *id < 1) {
    return std::nullopt;
  }
  return "wish-" + std::to_string(*id);
}

void save(sql::WorkerPool& pool, const std::string& proofs_dir, const std::string& prefix,
          std::string bytes, web::HttpResponder respond) {
  pool.run_expected<std::string>(
      [proofs_dir, prefix, bytes = std::move(bytes)](sql::Connection&) {
        return web::save_proof(proofs_dir, prefix, bytes);
      },
      [respond](std::expected<std::string, Error> saved) {
        if (!saved) {
          int status = saved.error().code == "proof_not_image"   ? 415
                       : saved.error().code == "proof_too_large" ? 413
                       : saved.error().code == "proof_not_saved" ? 500
                                                                 : 503;
          return respond(error_response(status, saved.error().code, saved.error().message));
        }
        respond(json_response(201, {{"file", *saved}, {"url", "/proofs/" + *saved}}));
      });
}

}  // namespace

web::HttpRoute photo_route(sql::WorkerPool& pool, std::string proofs_dir) {
  auto handler = [&pool, proofs_dir = std::move(proofs_dir)](const web::HttpRequest& request,
                                                             web::HttpResponder respond) {
    if (request.path != "/api/photos") {
      return respond(error_response(404, "not_found", "no such API"));
    }
    if (request.method != "POST") {
      return respond(error_response(405, "method_not_allowed", "send the image with POST"));
    }
    auto prefix = file_prefix(request);
    if (!prefix) {
      return respond(error_response(400, "bad_request", "wish is a wish's id"));
    }
    with_staff(pool, request, std::move(respond), kAnyStaff,
               [&pool, proofs_dir, prefix = *prefix, bytes = request.body](
                   const web::StaffSession&, web::HttpResponder answer) mutable {
                 save(pool, proofs_dir, prefix, std::move(bytes), std::move(answer));
               });
  };
  return {"/api/photos", handler, web::kMaxProofBytes, web::RequestGuard::kUpload};
}

}  // namespace boai::app
