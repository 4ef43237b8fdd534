#include "web/sale_json.hpp"

namespace boai::web {

nlohmann::json sale_item_json(const donations::SaleItem& i) {
  nlohmann::json j = {{"id", i.id},
                      {"title", i.title},
                      {"description", i.description},
                      {"donated_by", i.donated_by},
                      {"price_fen", i.price.fen()},
                      {"quantity", i.quantity},
                      {"available", i.available},
                      {"per_buyer", i.per_buyer},
                      {"fund", i.fund},
                      {"status", i.status}};
  if (!i.photo_file.empty()) {
    j["photo_url"] = "/proofs/" + i.photo_file;
  }
  return j;
}

nlohmann::json sale_order_json(const donations::SaleOrder& o, const PayInfo& pay) {
  const auto& p = o.pledge;
  nlohmann::json j = {{"reference", p.reference},
                      {"item_id", o.item_id},
                      {"item_title", o.item_title},
                      {"quantity", o.quantity},
                      {"amount_fen", p.amount.fen()},
                      {"paid_fen", p.paid.fen()},
                      {"buyer", p.public_name},
                      {"status", p.status},
                      {"stage", o.stage},
                      {"expires_at", o.expires_us / 1000},
                      {"replayed", p.replayed}};
  if (o.stage == "awaiting_payment") {
    j["pay"] = {{"reference", p.reference},
                {"remark", p.reference},
                {"account", pay.account},
                {"qr_url", pay.qr_url}};
  }
  return j;
}

}  // namespace boai::web
