// What an order, a query and a close at a provider come back as, whichever the provider: the
// pieces the page needs, and a query's answer as a notice would say it (so the poller applies it
// through the very code a notice takes).
#pragma once

#include <optional>
#include <string>

#include "donations/money.hpp"
#include "notices/notice.hpp"

namespace boai::payorders {

// One order to make: out_trade_no is the pledge's reference, the amount from our records.
struct OrderAsk {
  std::string reference;
  donations::Money amount;
  std::string description;  // what the donor's bill says: "博爱直播 认捐 7KQ2MZ9D"
  std::string method;       // native, h5, jsapi (WeChat); precreate, wap (Alipay)
  std::string openid;       // jsapi: the payer
  std::string payer_ip;     // h5: the phone's address, which WeChat Pay wants
};

struct OrderMade {
  std::string code_url;   // native, precreate: the text of the QR code
  std::string h5_url;     // h5, wap: where the phone goes
  std::string prepay_id;  // jsapi
};

// A query's answer. state is the provider's word (SUCCESS, NOTPAY, CLOSED; TRADE_SUCCESS,
// WAIT_BUYER_PAY, TRADE_CLOSED, or NOT_FOUND when the provider has no such trade yet).
struct QueryAnswer {
  std::string state;
  bool closed = false;  // the provider closed it: nothing more will be paid
  std::optional<notices::VerifiedNotice> payment;  // a transaction that moved money
};

// A close's answer: closed, or already paid (then the caller queries it and applies the payment).
enum class CloseAnswer { kClosed, kAlreadyPaid };

}  // namespace boai::payorders
