#include "app/staff_gate.hpp"

#include <utility>

#include "app/route_support.hpp"
#include "web/staff_routes.hpp"

namespace boai::app {

void with_staff(sql::WorkerPool& pool, const web::HttpRequest& request, web::HttpResponder respond,
                const StaffNeed& need,
                std::function<void(const web::StaffSession&, web::HttpResponder)> then) {
  web::authenticate(pool, request.cookie,
                    [respond = std::move(respond), need,
                     then = std::move(then)](std::optional<web::StaffSession> s) {
                      if (!s) {
                        return respond(error_response(401, "not_signed_in", "sign in first"));
                      }
                      if (!need.role.empty() && !web::role_allows(s->role, need.role)) {
                        return respond(error_response(403, "not_allowed", need.forbidden));
                      }
                      then(*s, respond);
                    });
}

}  // namespace boai::app
