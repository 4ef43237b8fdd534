// Pledges: validation, the request's digest, lookup and cancellation (the batch write is in
// pledge_writer.cpp).
#include "donations/pledges.hpp"

#include <algorithm>

#include "donations/ledger_appender.hpp"
#include "donations/ledger_hash.hpp"
#include "donations/outbox.hpp"
#include "donations/pledge_rows.hpp"
#include "donations/sale_orders.hpp"
#include "donations/text_rules.hpp"
#include "sql/transaction.hpp"

namespace boai::donations {

using detail::failed;
using sql::params;

namespace {

std::optional<Error> check_text(const char* what, const std::string& text, std::size_t max) {
  if (!is_storable_text(text)) {
    return make_error("text_invalid", std::string(what) + " is not valid UTF-8 or has a NUL");
  }
  if (char_count(text) > max) {
    return make_error("too_long",
                      std::string(what) + " is longer than " + std::to_string(max) + " characters");
  }
  return std::nullopt;
}

}  // namespace

std::optional<Error> validate_pledge(const PledgeRequest& r, const PledgeLimits& limits) {
  const auto& key = r.idempotency_key;
  bool key_ok = key.size() >= 8 && key.size() <= 128 &&
                std::all_of(key.begin(), key.end(), [](char c) { return c > ' ' && c < 127; });
  if (!key_ok) {
    return make_error("idempotency_key_invalid",
                      "an idempotency key is 8 to 128 visible ASCII characters");
  }
  if (r.amount < limits.min_amount || r.amount > limits.max_amount) {
    return make_error("amount_out_of_range", "a pledge is from " + limits.min_amount.format() +
                                                 " to " + limits.max_amount.format());
  }
  if (r.channel != "live" && r.channel != "online" && r.channel != "desk") {
    return make_error("channel_invalid", "a pledge comes from live, online or desk");
  }
  if (auto e = check_text("the name", r.display_name, limits.name_chars)) {
    return e;
  }
  if (auto e = check_text("the message", r.message, limits.message_chars)) {
    return e;
  }
  if (auto e = check_text("the contact", r.contact, limits.contact_chars)) {
    return e;
  }
  return std::nullopt;
}

std::string request_digest(const PledgeRequest& r) {
  std::string canonical = "campaign=" + r.campaign + "\nfund=" + r.fund +
                          "\namount=" + std::to_string(r.amount.fen()) +
                          "\nname=" + r.display_name + "\nanonymous=" + (r.anonymous ? "1" : "0") +
                          "\ncontact=" + r.contact + "\nmessage=" + r.message +
                          "\nchannel=" + r.channel + "\ntarget=" + r.target_kind.value_or("") +
                          ":" + (r.target_id ? std::to_string(*r.target_id) : "");
  return sha256_hex(canonical);
}

std::expected<Pledge, Error> find_pledge(sql::Connection& conn, const std::string& reference) {
  auto p = detail::select_pledge(conn, "p.reference = $1", params(reference), false);
  if (!p) {
    return std::unexpected(p.error());
  }
  if (!*p) {
    return std::unexpected(make_error("pledge_not_found", "no pledge " + reference));
  }
  return **p;
}

std::expected<Pledge, Error> cancel_pledge(sql::Connection& conn, const std::string& reference,
                                           const std::string& kind) {
  return sql::in_transaction(
      conn, [&](sql::Connection& tx) { return detail::cancel_in(tx, reference, kind, ""); });
}

namespace detail {

std::expected<Pledge, Error> cancel_in(sql::Connection& tx, const std::string& reference,
                                       const std::string& kind, const std::string& memo) {
  auto locked = detail::lock_pledge(tx, reference);
  if (!locked) {
    return std::unexpected(locked.error());
  }
  auto& ledger = locked->ledger;
  Pledge pledge = locked->pledge;
  if (pledge.status != "pledged") {
    return std::unexpected(
        make_error("pledge_not_cancellable", "pledge " + reference + " is " + pledge.status +
                                                 "; only an unpaid pledge can be cancelled"));
  }
  auto status = kind == "expire" ? "expired" : "cancelled";
  auto u = tx.exec("UPDATE pledges SET status = $2, updated_at = now() WHERE id = $1",
                   params(pledge.id, status));
  if (!u) {
    return std::unexpected(failed(u.error()));
  }
  if (pledge.target_kind == "sale") {
    // A sale order gives its stock back, and its entry is a sale's, not a gift's.
    if (auto r = detail::release_sale_order(tx, ledger, pledge, kind == "expire"); !r) {
      return std::unexpected(r.error());
    }
  } else {
    ledger.append(detail::pledge_entry(pledge, kind == "expire" ? "expire" : "cancel",
                                       memo.empty() ? std::string(status) : memo));
  }
  if (auto f = ledger.finish(); !f) {
    return std::unexpected(f.error());
  }
  if (auto o = add_outbox_event(tx, "pledge.cancelled", pledge.campaign_id, pledge.id); !o) {
    return std::unexpected(o.error());
  }
  pledge.status = status;
  return pledge;
}

}  // namespace detail

}  // namespace boai::donations
