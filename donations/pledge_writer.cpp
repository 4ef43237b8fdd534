// The pledge batch write, phase by phase: plan the batch (pledge_plan.cpp), insert, answer
// retries, append to the ledger and commit, answer the batch (docs/ARCHITECTURE.md, "Pledges").
#include <algorithm>
#include <chrono>
#include <map>
#include <set>

#include "donations/catalog.hpp"
#include "donations/ledger_appender.hpp"
#include "donations/outbox.hpp"
#include "donations/pledge_plan.hpp"
#include "donations/pledge_rows.hpp"
#include "donations/pledges.hpp"
#include "donations/reference_code.hpp"
#include "donations/text_rules.hpp"
#include "sql/array_param.hpp"

namespace boai::donations {

using detail::accept_leads;
using detail::Accepted;
using detail::BatchCampaigns;
using detail::BatchPlan;
using detail::failed;
using detail::plan_batch;
using detail::read_campaigns;
using sql::param;

namespace {

// What the INSERT's round trip left: the ledger locked, the pledges that went in and the requests
// that met a pledge already committed with their key.
struct InsertOutcome {
  std::optional<LedgerAppender> ledger;
  std::vector<Accepted> inserted;
  std::vector<Accepted> retries;
};

const Error kKeyReused =
    make_error("idempotency_key_reused", "this idempotency key was used for a different pledge");

std::int64_t now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool same_campaign(const Campaign& a, const Campaign& b) {
  if (a.id != b.id || a.status != b.status || a.default_fund_id != b.default_fund_id ||
      a.funds.size() != b.funds.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.funds.size(); ++i) {
    if (a.funds[i].id != b.funds[i].id || a.funds[i].slug != b.funds[i].slug) {
      return false;
    }
  }
  return true;
}

// Every new pledge in one statement, arbitrating on the idempotency key; a new reference code for
// each, unique in the batch so that RETURNING maps back.
sql::Statement insert_statement(const std::vector<PledgeRequest>& requests,
                                std::vector<Accepted>& pending, std::int64_t created_us) {
  sql::ArrayParam ref, campaign, fund, tkind, tid, amount, name, anon, contact, message, channel,
      key, digest;
  std::set<std::string> batch_references;
  for (auto& a : pending) {
    const auto& req = requests[a.index];
    do {
      a.reference = new_reference_code();
    } while (!batch_references.insert(a.reference).second);
    ref.add(a.reference);
    campaign.add(a.campaign->id);
    fund.add(a.fund->id);
    tkind.add(req.target_kind);
    tid.add(req.target_id ? std::optional<std::string>(std::to_string(*req.target_id))
                          : std::nullopt);
    amount.add(req.amount.fen());
    name.add(trim_text(req.display_name));
    anon.add_bool(req.anonymous);
    contact.add(req.contact);
    message.add(req.message);
    channel.add(req.channel);
    key.add(req.idempotency_key);
    digest.add(a.digest);
  }
  return {
      "INSERT INTO pledges (reference, campaign_id, fund_id, target_kind, target_id, "
      "amount_fen, donor_name, anonymous, contact, message, channel, idempotency_key, "
      "request_digest, created_at) "
      "SELECT r, c, f, tk, ti, a, n, an, ct, m, ch, k, d, "
      "'epoch'::timestamptz + $14::bigint * interval '1 microsecond' FROM unnest("
      "$1::text[], $2::bigint[], $3::bigint[], $4::text[], $5::bigint[], "
      "$6::bigint[], $7::text[], $8::boolean[], $9::text[], $10::text[], $11::text[], "
      "$12::text[], $13::text[]) WITH ORDINALITY AS u(r, c, f, tk, ti, a, n, an, ct, m, ch, "
      "k, d, o) ORDER BY o ON CONFLICT (idempotency_key) DO NOTHING RETURNING reference, id",
      {ref.param(), campaign.param(), fund.param(), tkind.param(), tid.param(), amount.param(),
       name.param(), anon.param(), contact.param(), message.param(), channel.param(), key.param(),
       digest.param(), param(created_us)}};
}

// Round trip 2: the INSERT and the chain head's lock after it (with the campaigns' reads first
// when they came from the cache, then checked against it). What does not go in met a committed
// pledge with its key (ON CONFLICT waits for one being written): a retry.
std::expected<InsertOutcome, Error> insert_pledges(sql::Connection& conn,
                                                   const std::vector<PledgeRequest>& requests,
                                                   const BatchPlan& plan,
                                                   const BatchCampaigns& campaigns,
                                                   std::vector<Accepted> pending,
                                                   std::int64_t created_us, CampaignCache& cache) {
  std::vector<sql::Statement> inserting = {insert_statement(requests, pending, created_us),
                                           LedgerAppender::lock_statement()};
  std::size_t first = 0;  // of the INSERT's result
  if (campaigns.from_cache) {
    inserting.insert(inserting.begin(), campaigns.opening.begin(), campaigns.opening.end());
    first = campaigns.opening.size();
  }
  auto done = conn.exec_pipeline(inserting);
  for (const auto& d : done) {
    if (!d && d.error().constraint == "pledges_reference_key") {
      return std::unexpected(
          make_error("reference_taken", "a new reference code was taken; write again"));
    }
    if (!d) {
      return std::unexpected(failed(d.error()));
    }
  }
  for (std::size_t k = 0; first > 0 && k < plan.slugs.size(); ++k) {
    auto c = campaign_from_result(*done[1 + k]);
    if (!c || !same_campaign(*c, cache.at(plan.slugs[k]))) {
      cache.clear();  // changed since the last batch: again, reading them first
      return std::unexpected(make_error("campaigns_changed", "a campaign changed; write again"));
    }
  }
  InsertOutcome out;
  out.ledger = LedgerAppender::from_head(conn, *done[first + 1]);
  const auto& r = *done[first];
  int reference = r.column("reference"), id = r.column("id");
  std::map<std::string, std::int64_t, std::less<>> went_in;  // reference -> id
  for (int k = 0; k < r.rows(); ++k) {
    went_in.emplace(r.text(k, reference), r.int64(k, id));
  }
  for (auto& a : pending) {
    if (auto in = went_in.find(a.reference); in != went_in.end()) {
      a.id = in->second;
      out.inserted.push_back(std::move(a));
    } else {
      out.retries.push_back(std::move(a));
    }
  }
  return out;
}

// A retry is answered with the pledge its key made, if it is the same request.
std::expected<void, Error> answer_retries(sql::Connection& conn,
                                          const std::vector<PledgeRequest>& requests,
                                          const std::vector<Accepted>& retries, BatchPlan& plan) {
  if (retries.empty()) {
    return {};
  }
  sql::ArrayParam retry_keys;
  for (const auto& a : retries) {
    retry_keys.add(requests[a.index].idempotency_key);
  }
  auto existing = conn.exec(std::string("SELECT ") + detail::kPledgeColumns + " FROM " +
                                detail::kPledgeFrom + " WHERE p.idempotency_key = ANY($1::text[])",
                            {retry_keys.param()});
  if (!existing) {
    return std::unexpected(failed(existing.error()));
  }
  detail::PledgeColumns columns(*existing);
  std::map<std::string, std::pair<Pledge, std::string>, std::less<>> by_key;  // pledge, digest
  for (int k = 0; k < existing->rows(); ++k) {
    by_key[std::string(existing->text(k, columns.idempotency_key))] = {
        detail::pledge_from_row(*existing, columns, k),
        std::string(existing->text(k, columns.request_digest))};
  }
  for (const auto& a : retries) {
    auto it = by_key.find(requests[a.index].idempotency_key);
    if (it == by_key.end()) {
      return std::unexpected(
          make_error("db_error", "a pledge neither went in nor exists; write again"));
    }
    if (it->second.second != a.digest) {
      plan.results[a.index] = std::unexpected(kKeyReused);
    } else {
      it->second.first.replayed = true;
      plan.results[a.index] = it->second.first;
    }
  }
  return {};
}

// The pledge as it went in, without reading it back.
Pledge new_pledge(const Accepted& a, const PledgeRequest& req, std::int64_t created_us) {
  Pledge p;
  p.id = a.id;
  p.reference = a.reference;
  p.campaign_id = a.campaign->id;
  p.campaign = a.campaign->slug;
  p.fund_id = a.fund->id;
  p.fund = a.fund->slug;
  p.amount = req.amount;
  p.status = "pledged";
  p.public_name = mask_name(req.display_name, req.anonymous);
  p.message = req.message;
  p.channel = req.channel;
  p.created_us = created_us;
  return p;
}

// Round trip 3: the ledger, the totals, the head, the outbox, the new totals, COMMIT. A batch of
// retries and refusals only commits: the ledger did not change. The ledger and the events take
// the new pledges in the order they came. Returns the events to emit after commit.
std::expected<std::vector<DomainEvent>, Error> append_and_commit(
    sql::Connection& conn, const std::vector<PledgeRequest>& requests, InsertOutcome& written,
    std::int64_t created_us, BatchPlan& plan) {
  auto& inserted = written.inserted;
  std::sort(inserted.begin(), inserted.end(),
            [](const Accepted& a, const Accepted& b) { return a.index < b.index; });
  std::vector<DomainEvent> events;
  std::vector<std::pair<std::int64_t, std::int64_t>> created;  // (campaign, pledge), outbox
  std::set<std::int64_t> touched;
  for (const auto& a : inserted) {
    Pledge p = new_pledge(a, requests[a.index], created_us);
    written.ledger->append(detail::pledge_entry(p, "pledge", p.channel));
    created.emplace_back(p.campaign_id, p.id);
    touched.insert(p.campaign_id);
    events.push_back(DomainEvent{"pledge.created", p.campaign_id, p, std::nullopt});
    plan.results[a.index] = std::move(p);
  }
  auto closing =
      inserted.empty() ? std::vector<sql::Statement>{} : written.ledger->finish_statements();
  if (!created.empty()) {
    closing.push_back(outbox_statement(batch_outbox_events("pledge.created", created)));
  }
  std::size_t first_totals = closing.size();
  for (auto campaign_id : touched) {
    closing.push_back(campaign_totals_statement(campaign_id));
  }
  closing.push_back({"COMMIT", {}});
  auto closed = conn.exec_pipeline(closing);
  for (const auto& r : closed) {
    if (!r) {
      return std::unexpected(failed(r.error()));
    }
  }
  std::size_t k = first_totals;
  for (auto campaign_id : touched) {
    events.push_back(
        DomainEvent{"totals.changed", campaign_id, std::nullopt, totals_from_result(*closed[k++])});
  }
  return events;
}

// A key repeated inside the batch answers like a retry of its first request.
PledgeBatchResult answer_batch(const std::vector<PledgeRequest>& requests, BatchPlan& plan,
                               std::vector<DomainEvent> events) {
  for (auto i : plan.followers) {
    auto lead_index = plan.lead_of_key[requests[i].idempotency_key];
    const auto& lead = plan.results[lead_index];
    if (!lead || !*lead) {
      plan.results[i] = lead ? *lead : std::unexpected(make_error("internal", "no lead result"));
    } else if (request_digest(requests[i]) != request_digest(requests[lead_index])) {
      plan.results[i] = std::unexpected(kKeyReused);
    } else {
      Pledge again = **lead;
      again.replayed = true;
      plan.results[i] = again;
    }
  }
  PledgeBatchResult out;
  out.events = std::move(events);
  for (auto& r : plan.results) {
    out.pledges.push_back(std::move(*r));
  }
  return out;
}

// The phases after the plan; an error leaves the transaction for the caller to roll back.
std::expected<PledgeBatchResult, Error> write_planned(sql::Connection& conn,
                                                      const std::vector<PledgeRequest>& requests,
                                                      const PledgeLimits& limits, BatchPlan& plan,
                                                      CampaignCache& cache) {
  auto campaigns = read_campaigns(conn, plan, cache);
  if (!campaigns) {
    return std::unexpected(campaigns.error());
  }
  auto pending = accept_leads(requests, plan, *campaigns);
  // Nothing to insert, so nothing to check the cached campaigns with: read them (nothing was
  // sent yet), planning afresh.
  if (campaigns->from_cache && pending.empty()) {
    cache.clear();
    plan = plan_batch(requests, limits);
    return write_planned(conn, requests, limits, plan, cache);
  }
  std::int64_t created_us = now_us();
  InsertOutcome written;
  if (!pending.empty()) {
    auto inserted =
        insert_pledges(conn, requests, plan, *campaigns, std::move(pending), created_us, cache);
    if (!inserted) {
      return std::unexpected(inserted.error());
    }
    written = std::move(*inserted);
    if (auto answered = answer_retries(conn, requests, written.retries, plan); !answered) {
      return std::unexpected(answered.error());
    }
  }
  auto events = append_and_commit(conn, requests, written, created_us, plan);
  if (!events) {
    return std::unexpected(events.error());
  }
  return answer_batch(requests, plan, std::move(*events));
}

std::expected<PledgeBatchResult, Error> write_once(sql::Connection& conn,
                                                   const std::vector<PledgeRequest>& requests,
                                                   const PledgeLimits& limits,
                                                   CampaignCache& cache) {
  BatchPlan plan = plan_batch(requests, limits);
  try {
    auto out = write_planned(conn, requests, limits, plan, cache);
    if (!out) {
      (void)conn.exec("ROLLBACK");
    }
    return out;
  } catch (...) {
    (void)conn.exec("ROLLBACK");
    throw;
  }
}

}  // namespace

std::expected<PledgeBatchResult, Error> write_pledges(sql::Connection& conn,
                                                      const std::vector<PledgeRequest>& requests,
                                                      const PledgeLimits& limits) {
  CampaignCache none;
  return write_pledges(conn, requests, limits, none);
}

std::expected<PledgeBatchResult, Error> write_pledges(sql::Connection& conn,
                                                      const std::vector<PledgeRequest>& requests,
                                                      const PledgeLimits& limits,
                                                      CampaignCache& cache) {
  // The INSERT arbitrates on the idempotency key alone (every unique index checked before each
  // row cost a seventh of the batch); a reference code that was taken fails it instead, and the
  // batch goes again with new codes. Nothing of it stayed: it never reached the ledger.
  for (int attempt = 0;; ++attempt) {
    auto out = write_once(conn, requests, limits, cache);
    if (!out && out.error().code == "campaigns_changed") {
      continue;  // the cache is clear now
    }
    if (out || attempt == 4 || out.error().code != "reference_taken") {
      return out;
    }
  }
}

}  // namespace boai::donations
