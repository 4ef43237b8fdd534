// The live room's settings (limits, what donors are told about paying) and its counters in
// /metrics.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "donations/money.hpp"
#include "web/metrics.hpp"
#include "web/pledge_quota.hpp"

namespace boai::web {

// How donors are told to pay, shown after a pledge is acknowledged.
struct PayInfo {
  std::string account;  // "中国银行 柯桥支行 户名… 账号…"
  std::string qr_url;   // the station's collection QR image
};

struct LiveRoomConfig {
  std::size_t max_text_chars = 200;
  std::size_t max_nickname_chars = 20;
  double messages_per_second = 1.0;
  double message_burst = 5.0;
  double pledges_per_minute = 10.0;  // per connection
  PledgeQuota pledge_quota;          // per session and per address, across connections and nodes
  // An unpaid pledge above this is not shown (its donation event) until it is paid in full.
  donations::Money show_unpaid_up_to = donations::Money::from_yuan(2000);
  std::size_t replay_events = 1000;
  std::size_t recent_chat = 50;
  std::size_t recent_donations = 8;
  int bad_frames_before_close = 20;
  std::chrono::seconds sale_hold{30 * 60};  // how long an unpaid sale order keeps its stock
  PayInfo pay;
  std::string proofs_dir;  // where POST /api/photos saved what wish.fulfil and sale.add name
  // Signs the session ids given in welcome (web/session_token.hpp); empty: a phone's own session
  // string is taken as it is (tests of the room alone).
  std::string session_key;
};

struct RoomCounters {
  explicit RoomCounters(Metrics& metrics)
      : messages_in(metrics.counter("boai_ws_messages_in_total", "frames received from clients")),
        messages_out(metrics.counter("boai_ws_messages_out_total", "frames queued to clients")),
        rate_limited(metrics.counter("boai_ws_rate_limited_total", "requests refused by a limit")),
        pledges_acked(metrics.counter("boai_pledges_acknowledged_total", "pledges acknowledged")),
        pledge_ack_us(metrics.counter("boai_pledge_ack_microseconds_total",
                                      "time from pledge.create to its ack, summed")) {}

  Counter& messages_in;
  Counter& messages_out;
  Counter& rate_limited;
  Counter& pledges_acked;
  Counter& pledge_ack_us;
};

}  // namespace boai::web
