// The one door of the staff-only routes: who is signed in, and whether their role may pass.
// Answers 401 not_signed_in or 403 not_allowed itself; then runs the route's own work.
#pragma once

#include <functional>
#include <string>

#include "sql/worker_pool.hpp"
#include "web/http_types.hpp"
#include "web/staff_accounts.hpp"

namespace boai::app {

struct StaffNeed {
  std::string role;       // finance, host (admin always passes); empty: any signed-in member
  std::string forbidden;  // the sentence of a 403
};

inline const StaffNeed kFinanceDesk{"finance", "the desk is for finance staff"};
inline const StaffNeed kAnyStaff{"", ""};

// then runs on the pool's loop with the member and the responder.
void with_staff(sql::WorkerPool& pool, const web::HttpRequest& request, web::HttpResponder respond,
                const StaffNeed& need,
                std::function<void(const web::StaffSession&, web::HttpResponder)> then);

}  // namespace boai::app
