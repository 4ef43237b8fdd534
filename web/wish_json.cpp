// wish_json: the public fields always, the contact only for staff.
#include "web/wish_json.hpp"

namespace boai::web {

nlohmann::json wish_json(const donations::Wish& w, bool for_staff) {
  nlohmann::json j = {{"id", w.id},
                      {"room", w.campaign},
                      {"title", w.title},
                      {"story", w.story},
                      {"category", w.category},
                      {"amount_fen", w.amount.fen()},
                      {"pledged_fen", w.pledged.fen()},
                      {"left_fen", w.left().fen()},
                      {"donor_count", w.donor_count},
                      {"requester", w.requester_public},
                      {"status", w.status},
                      {"fund", w.fund}};
  if (w.status == "rejected") {
    j["reason"] = w.reject_reason;
  }
  if (w.status == "fulfilled") {
    j["fulfil_note"] = w.fulfil_note;
    if (!w.proof_file.empty()) {
      j["proof_url"] = "/proofs/" + w.proof_file;
    }
  }
  if (for_staff) {
    j["contact"] = w.contact;
  }
  return j;
}

}  // namespace boai::web
