// pledge.create: a donor's pledge in the room's campaign, handed to the batch writers and
// acknowledged (with how to pay) only after its transaction committed.
#include "base/on_loop.hpp"
#include "web/pledge_quota.hpp"
#include "web/room_requests.hpp"
#include "web/room_wishes.hpp"

namespace boai::web {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

std::expected<donations::PledgeRequest, Error> pledge_request(const Request& r) {
  const auto& f = r.frame;
  auto key = string_field(f, "idempotency_key");
  if (!key) {
    return std::unexpected(key.error());
  }
  auto amount = integer_field(f, "amount_fen");
  if (!amount) {
    return std::unexpected(amount.error());
  }
  auto name = string_field(f, "display_name", false);
  auto message = string_field(f, "message", false);
  auto fund = string_field(f, "fund", false);
  if (!name || !message || !fund) {
    return std::unexpected(!name ? name.error() : !message ? message.error() : fund.error());
  }
  donations::PledgeRequest p;
  p.idempotency_key = *key;
  p.campaign = r.session.room;
  p.fund = *fund;
  p.amount = donations::Money::from_fen(*amount);
  p.anonymous = bool_field(f, "anonymous");
  // Only what the phone sent: a retry from a new connection (another nickname) must look the same.
  p.display_name = *name;
  p.message = *message;
  p.channel = "live";
  return p;
}

json pledge_json(const donations::Pledge& p, const PayInfo& pay) {
  return {{"reference", p.reference},
          {"amount_fen", p.amount.fen()},
          {"status", p.status},
          {"fund", p.fund},
          {"display_name", p.public_name},
          {"replayed", p.replayed},
          {"pay",
           {{"reference", p.reference},
            {"remark", p.reference},
            {"account", pay.account},
            {"qr_url", pay.qr_url}}}};
}

// What a viewer's pledge makes public (its message and name, on the room and the video) keeps the
// room's rules as chat does: no blocked word, nothing from a muted phone.
std::expected<void, Error> keeps_rules(const RoomSession& s, const RoomState* room,
                                       const donations::PledgeRequest& p) {
  const std::string& name = p.anonymous ? std::string() : p.display_name;
  if (s.staff || room == nullptr || (p.message.empty() && name.empty())) {
    return {};
  }
  if (room->has_blocked_word(p.message) || room->has_blocked_word(name)) {
    return std::unexpected(
        make_error("blocked_word", "the message or name has a word this room does not allow"));
  }
  if (s.sanctioned(*room, "mute")) {
    return std::unexpected(
        make_error("muted", "you are muted for now: give anonymously, without a message"));
  }
  return {};
}

// The pledge written: to a red wish's row, or through the batch writers.
void place(RoomContext& context, const Request& r, donations::PledgeRequest request,
           std::int64_t wish_id) {
  if (wish_id != 0) {  // a gift to a red wish is written against the wish's row
    request.target_kind = "wish";
    request.target_id = wish_id;
    return pledge_to_wish(context, r, std::move(request), wish_id,
                          bool_field(r.frame, "rest_to_fund"));
  }
  auto started = Clock::now();
  context.pledges().submit(std::move(request), [answer = context.later(r.session, r.frame), started,
                                                loop = context.loop_context()](auto result) {
    // On a batch writer's thread, after commit: hand over to the loop.
    run_on_loop(loop, [answer, started, result = std::move(result)] {
      auto* room = answer.context();
      if (room == nullptr || answer.session() == nullptr) {
        return;  // the phone went away; its retry will get this pledge
      }
      if (!result) {
        return answer.refuse(result.error());
      }
      room->counters().pledges_acked.add();
      room->counters().pledge_ack_us.add(
          std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started).count());
      answer.ack({{"pledge", pledge_json(*result, room->config().pay)}});
    });
  });
}

void pledge_create(RoomContext& context, const Request& r) {
  auto& s = r.session;
  if (!s.pledges.take()) {
    context.counters().rate_limited.add();
    return context.refuse(
        s, r.frame, make_error("rate_limited", "too many pledges from this phone; wait a minute"));
  }
  auto request = pledge_request(r);
  if (!request) {
    return context.refuse(s, r.frame, request.error());
  }
  if (auto kept = keeps_rules(s, r.room, *request); !kept) {
    return context.refuse(s, r.frame, kept.error());
  }
  auto wish_id = integer_field(r.frame, "wish_id", std::int64_t{0});
  if (!wish_id) {
    return context.refuse(s, r.frame, wish_id.error());
  }
  if (s.staff) {
    return place(context, r, std::move(*request), *wish_id);
  }
  // A new connection starts its own bucket: the session's and the address's pledges are counted
  // in the database, across connections and nodes, before the pledge is written.
  context.pool().run_expected<void>(
      [session = s.session_id, address = s.conn->peer(), quota = context.config().pledge_quota](
          sql::Connection& c) { return take_pledge_quota(c, session, address, quota); },
      [answer = context.later(s, r.frame), frame = r.frame, request = std::move(*request),
       wish = *wish_id](std::expected<void, Error> taken) {
        auto* who = answer.session();
        if (who == nullptr) {
          return;
        }
        auto& room = *answer.context();
        if (!taken) {
          room.counters().rate_limited.add();
          return answer.refuse(taken.error());
        }
        place(room, Request{*who, frame, room.feed().ready(who->room)}, request, wish);
      });
}

}  // namespace

std::vector<RequestRoute> pledge_requests() {
  return {{"pledge.create", pledge_create, Sender::kAnyone, true}};
}

}  // namespace boai::web
