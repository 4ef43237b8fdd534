// Fuzz target for what the payment providers answer our orders' queries: Alipay's answer object
// cut out of the gateway's text, and both providers' query answers read as a payment (past the
// signature, which the target cannot forge: the readers run on what a signature would cover).
#include <stdexcept>
#include <string>

#include "payorders/alipay_api.hpp"
#include "payorders/wechat_api.hpp"
#include "tests/fuzz/fuzz_targets.hpp"

namespace boai::fuzz {

namespace {

// A payment read from an answer is for the order asked about, for money, with its id.
void require_sound(const std::expected<payorders::QueryAnswer, Error>& a, const char* provider) {
  if (!a || !a->payment) {
    return;
  }
  require(a->payment->reference == "7KQ2MZ9D", "a payment for another order");
  require(a->payment->amount.fen() > 0, "a payment of nothing");
  require(!a->payment->txn_id.empty(), "a payment without its transaction");
  require(a->payment->provider == provider && a->payment->paid, "a payment of another kind");
}

}  // namespace

void provider_answer(const std::uint8_t* data, std::size_t size) {
  std::string body(reinterpret_cast<const char*>(data), size);
  auto text = payorders::alipay_response_text(body, "alipay_trade_query_response");
  if (!text.empty()) {
    require(text.front() == '{' && text.back() == '}', "not an object's text");
    require(body.find(text) != std::string::npos, "not cut out of the answer");
    auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_object()) {
      require_sound(payorders::alipay_query_answer("7KQ2MZ9D", j), "alipay");
    }
  }
  payorders::WechatOrderSettings w;
  w.mchid = "1900000109";
  require_sound(payorders::wechat_query_answer(w, "7KQ2MZ9D", body), "wechat");
}

}  // namespace boai::fuzz
