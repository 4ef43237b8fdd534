// Pledges: validation, the batch write, lookup and cancellation.
#include "donations/pledges.hpp"

#include <algorithm>
#include <map>

#include "donations/catalog.hpp"
#include "donations/ledger_appender.hpp"
#include "donations/ledger_hash.hpp"
#include "donations/outbox.hpp"
#include "donations/pledge_rows.hpp"
#include "donations/reference_code.hpp"
#include "donations/text_rules.hpp"
#include "sql/transaction.hpp"

namespace boai::donations {

using detail::failed;
using sql::param;
using sql::params;

namespace {

std::optional<Error> check_text(const char* what, const std::string& text, std::size_t max) {
  if (!is_valid_utf8(text)) return make_error("text_invalid", std::string(what) + " is not valid UTF-8");
  if (char_count(text) > max) {
    return make_error("too_long", std::string(what) + " is longer than " + std::to_string(max) +
                                      " characters");
  }
  return std::nullopt;
}

struct CampaignInfo {
  std::optional<Campaign> campaign;
  std::optional<Error> error;
};

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
  if (auto e = check_text("the name", r.display_name, limits.name_chars)) return e;
  if (auto e = check_text("the message", r.message, limits.message_chars)) return e;
  if (auto e = check_text("the contact", r.contact, limits.contact_chars)) return e;
  return std::nullopt;
}

std::string request_digest(const PledgeRequest& r) {
  std::string canonical = "campaign=" + r.campaign + "\nfund=" + r.fund +
                          "\namount=" + std::to_string(r.amount.fen()) + "\nname=" + r.display_name +
                          "\nanonymous=" + (r.anonymous ? "1" : "0") + "\ncontact=" + r.contact +
                          "\nmessage=" + r.message + "\nchannel=" + r.channel +
                          "\ntarget=" + r.target_kind.value_or("") + ":" +
                          (r.target_id ? std::to_string(*r.target_id) : "");
  return sha256_hex(canonical);
}

std::expected<PledgeBatchResult, Error> write_pledges(sql::Connection& conn,
                                                      const std::vector<PledgeRequest>& requests,
                                                      const PledgeLimits& limits) {
  return sql::in_transaction(conn, [&](sql::Connection& tx) -> std::expected<PledgeBatchResult, Error> {
    auto ledger = LedgerAppender::lock(tx);
    if (!ledger) return std::unexpected(ledger.error());
    PledgeBatchResult out;
    std::map<std::string, CampaignInfo> campaigns;
    std::map<std::int64_t, bool> touched_campaigns;

    for (const auto& req : requests) {
      if (auto e = validate_pledge(req, limits)) {
        out.pledges.emplace_back(std::unexpected(*e));
        continue;
      }
      auto& info = campaigns[req.campaign];
      if (!info.campaign && !info.error) {
        auto c = find_campaign(tx, req.campaign);
        if (c) {
          info.campaign = std::move(*c);
        } else if (c.error().code == "campaign_not_found") {
          info.error = c.error();
        } else {
          return std::unexpected(c.error());
        }
      }
      if (info.error) {
        out.pledges.emplace_back(std::unexpected(*info.error));
        continue;
      }
      const Campaign& campaign = *info.campaign;
      if (campaign.status != "live") {
        out.pledges.emplace_back(std::unexpected(
            campaign.status == "closed"
                ? make_error("campaign_closed", "the campaign \"" + campaign.title + "\" has closed")
                : make_error("campaign_not_open", "the campaign \"" + campaign.title +
                                                      "\" has not opened yet")));
        continue;
      }
      const Fund* fund = nullptr;
      for (const auto& f : campaign.funds) {
        if (req.fund.empty() ? f.id == campaign.default_fund_id : f.slug == req.fund) fund = &f;
      }
      if (fund == nullptr) {
        out.pledges.emplace_back(std::unexpected(
            make_error("fund_not_found", "the campaign has no fund \"" + req.fund + "\"")));
        continue;
      }

      std::string digest = request_digest(req);
      std::optional<std::int64_t> inserted_id;
      std::string reference;
      for (int attempt = 0; attempt < 5 && !inserted_id; ++attempt) {
        reference = new_reference_code();
        auto r = tx.exec(
            "INSERT INTO pledges (reference, campaign_id, fund_id, target_kind, target_id, "
            "amount_fen, donor_name, anonymous, contact, message, channel, idempotency_key, "
            "request_digest) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) "
            "ON CONFLICT DO NOTHING RETURNING id",
            {param(reference), param(campaign.id), param(fund->id), param(req.target_kind),
             req.target_id ? param(*req.target_id) : std::nullopt, param(req.amount.fen()),
             param(trim_text(req.display_name)), param(req.anonymous), param(req.contact),
             param(req.message), param(req.channel), param(req.idempotency_key), param(digest)});
        if (!r) return std::unexpected(failed(r.error()));
        if (r->rows() == 1) {
          inserted_id = r->int64(0, 0);
          break;
        }
        // Nothing inserted: the key exists (a retry), or, rarely, the reference code did.
        auto existing = detail::select_pledge(tx, "p.idempotency_key = $1",
                                              params(req.idempotency_key), false);
        if (!existing) return std::unexpected(existing.error());
        if (*existing) break;
      }
      if (!inserted_id) {
        auto existing = tx.exec("SELECT request_digest FROM pledges WHERE idempotency_key = $1",
                                params(req.idempotency_key));
        if (!existing) return std::unexpected(failed(existing.error()));
        if (existing->rows() == 0) {
          return std::unexpected(make_error("reference_exhausted", "no free reference code"));
        }
        if (existing->text(0, 0) != digest) {
          out.pledges.emplace_back(std::unexpected(make_error(
              "idempotency_key_reused", "this idempotency key was used for a different pledge")));
          continue;
        }
        auto first = detail::select_pledge(tx, "p.idempotency_key = $1",
                                           params(req.idempotency_key), false);
        if (!first) return std::unexpected(first.error());
        (*first)->replayed = true;
        out.pledges.emplace_back(std::move(**first));
        continue;
      }

      auto pledge = detail::select_pledge(tx, "p.id = $1", params(*inserted_id), false);
      if (!pledge) return std::unexpected(pledge.error());
      LedgerEntry entry;
      entry.kind = "pledge";
      entry.campaign_id = campaign.id;
      entry.fund_id = fund->id;
      entry.pledge_id = *inserted_id;
      entry.amount_fen = req.amount.fen();
      entry.public_name = (*pledge)->public_name;
      entry.reference = reference;
      entry.memo = req.channel;
      if (auto e = ledger->append(entry); !e) return std::unexpected(e.error());
      if (auto o = add_outbox_event(tx, "pledge.created", campaign.id, *inserted_id); !o) {
        return std::unexpected(o.error());
      }
      touched_campaigns[campaign.id] = true;
      out.events.push_back(DomainEvent{"pledge.created", campaign.id, **pledge, std::nullopt});
      out.pledges.emplace_back(std::move(**pledge));
    }
    if (auto f = ledger->finish(); !f) return std::unexpected(f.error());
    for (const auto& [campaign_id, _] : touched_campaigns) {
      auto totals = campaign_totals(tx, campaign_id);
      if (!totals) return std::unexpected(totals.error());
      out.events.push_back(DomainEvent{"totals.changed", campaign_id, std::nullopt, *totals});
    }
    return out;
  });
}

std::expected<Pledge, Error> find_pledge(sql::Connection& conn, const std::string& reference) {
  auto p = detail::select_pledge(conn, "p.reference = $1", params(reference), false);
  if (!p) return std::unexpected(p.error());
  if (!*p) return std::unexpected(make_error("pledge_not_found", "no pledge " + reference));
  return **p;
}

std::expected<Pledge, Error> cancel_pledge(sql::Connection& conn, const std::string& reference,
                                           const std::string& kind) {
  return sql::in_transaction(conn, [&](sql::Connection& tx) -> std::expected<Pledge, Error> {
    auto ledger = LedgerAppender::lock(tx);
    if (!ledger) return std::unexpected(ledger.error());
    auto p = detail::select_pledge(tx, "p.reference = $1", params(reference), true);
    if (!p) return std::unexpected(p.error());
    if (!*p) return std::unexpected(make_error("pledge_not_found", "no pledge " + reference));
    Pledge pledge = **p;
    if (pledge.status != "pledged") {
      return std::unexpected(make_error("pledge_not_cancellable",
                                        "pledge " + reference + " is " + pledge.status +
                                            "; only an unpaid pledge can be cancelled"));
    }
    auto status = kind == "expire" ? "expired" : "cancelled";
    auto u = tx.exec("UPDATE pledges SET status = $2, updated_at = now() WHERE id = $1",
                     params(pledge.id, status));
    if (!u) return std::unexpected(failed(u.error()));
    LedgerEntry entry;
    entry.kind = kind == "expire" ? "expire" : "cancel";
    entry.campaign_id = pledge.campaign_id;
    entry.fund_id = pledge.fund_id;
    entry.pledge_id = pledge.id;
    entry.amount_fen = pledge.amount.fen();
    entry.public_name = pledge.public_name;
    entry.reference = pledge.reference;
    entry.memo = status;
    if (auto e = ledger->append(entry); !e) return std::unexpected(e.error());
    if (auto f = ledger->finish(); !f) return std::unexpected(f.error());
    if (auto o = add_outbox_event(tx, "pledge.cancelled", pledge.campaign_id, pledge.id); !o) {
      return std::unexpected(o.error());
    }
    pledge.status = status;
    return pledge;
  });
}

}  // namespace boai::donations
