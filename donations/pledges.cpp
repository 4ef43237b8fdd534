// Pledges: validation, the batch write, lookup and cancellation.
#include "donations/pledges.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>

#include "donations/catalog.hpp"
#include "donations/ledger_appender.hpp"
#include "donations/ledger_hash.hpp"
#include "donations/outbox.hpp"
#include "donations/pledge_rows.hpp"
#include "donations/reference_code.hpp"
#include "donations/text_rules.hpp"
#include "sql/array_param.hpp"
#include "sql/transaction.hpp"

namespace boai::donations {

using detail::failed;
using sql::param;
using sql::params;

namespace {

std::optional<Error> check_text(const char* what, const std::string& text, std::size_t max) {
  if (!is_storable_text(text))
    return make_error("text_invalid", std::string(what) + " is not valid UTF-8 or has a NUL");
  if (char_count(text) > max) {
    return make_error("too_long",
                      std::string(what) + " is longer than " + std::to_string(max) + " characters");
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
  if (auto e = check_text("the name", r.display_name, limits.name_chars))
    return e;
  if (auto e = check_text("the message", r.message, limits.message_chars))
    return e;
  if (auto e = check_text("the contact", r.contact, limits.contact_chars))
    return e;
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

namespace {

// A request that passed its checks, with what the batch resolved for it.
struct Accepted {
  std::size_t index;  // into the requests
  const Campaign* campaign;
  const Fund* fund;
  std::string digest;
  std::string reference;
  std::int64_t id = 0;
};

std::int64_t now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Resolves the campaign and fund of a checked request, or says why not.
std::expected<std::pair<const Campaign*, const Fund*>, Error> resolve(
    const std::map<std::string, CampaignInfo>& campaigns, const PledgeRequest& req) {
  const auto& info = campaigns.at(req.campaign);
  if (info.error)
    return std::unexpected(*info.error);
  const Campaign& campaign = *info.campaign;
  if (campaign.status != "live") {
    return std::unexpected(
        campaign.status == "closed"
            ? make_error("campaign_closed", "the campaign \"" + campaign.title + "\" has closed")
            : make_error("campaign_not_open",
                         "the campaign \"" + campaign.title + "\" has not opened yet"));
  }
  for (const auto& f : campaign.funds) {
    if (req.fund.empty() ? f.id == campaign.default_fund_id : f.slug == req.fund) {
      return std::make_pair(&campaign, &f);
    }
  }
  return std::unexpected(
      make_error("fund_not_found", "the campaign has no fund \"" + req.fund + "\""));
}

bool same_campaign(const Campaign& a, const Campaign& b) {
  if (a.id != b.id || a.status != b.status || a.default_fund_id != b.default_fund_id ||
      a.funds.size() != b.funds.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.funds.size(); ++i) {
    if (a.funds[i].id != b.funds[i].id || a.funds[i].slug != b.funds[i].slug)
      return false;
  }
  return true;
}

std::expected<PledgeBatchResult, Error> write_once(sql::Connection& conn,
                                                   const std::vector<PledgeRequest>& requests,
                                                   const PledgeLimits& limits,
                                                   CampaignCache& cache) {
  // Checks that need no database come first: they decide which campaigns to look up.
  std::vector<std::optional<std::expected<Pledge, Error>>> results(requests.size());
  std::map<std::string, std::size_t> lead_of_key;  // the first request with each key
  std::vector<std::size_t> leads, followers;       // followers repeat a key seen before
  std::set<std::string> slugs;
  for (std::size_t i = 0; i < requests.size(); ++i) {
    if (auto e = validate_pledge(requests[i], limits)) {
      results[i] = std::unexpected(*e);
    } else if (!lead_of_key.emplace(requests[i].idempotency_key, i).second) {
      followers.push_back(i);
    } else {
      leads.push_back(i);
      slugs.insert(requests[i].campaign);
    }
  }

  // Round trip 1: begin, read the campaigns. The chain head is locked only once the pledges are
  // in (round trip 2), so a second batch writer inserts its pledges while the first one appends
  // to the ledger and commits. A transaction holding the head never waits for a pledge being
  // inserted, and batches insert their keys in one order, so this cannot deadlock.
  // With every campaign cached, this round trip goes with the INSERT's (checked there).
  std::vector<std::string> slug_list(slugs.begin(), slugs.end());
  std::vector<sql::Statement> opening = {{"BEGIN", {}}};
  for (const auto& slug : slug_list)
    opening.push_back(find_campaign_statement(slug));
  bool cached = !slug_list.empty() &&
                std::all_of(slug_list.begin(), slug_list.end(),
                            [&](const std::string& slug) { return cache.contains(slug); });
  auto fail = [&conn](const Error& e) -> std::expected<PledgeBatchResult, Error> {
    (void)conn.exec("ROLLBACK");
    return std::unexpected(e);
  };
  std::map<std::string, CampaignInfo> campaigns;
  if (cached) {
    for (const auto& slug : slug_list)
      campaigns[slug] = CampaignInfo{cache.at(slug), std::nullopt};
  } else {
    auto opened = conn.exec_pipeline(opening);
    for (const auto& r : opened) {
      if (!r)
        return fail(failed(r.error()));
    }
    for (std::size_t k = 0; k < slug_list.size(); ++k) {
      auto c = campaign_from_result(*opened[1 + k]);
      if (c)
        cache[slug_list[k]] = *c;
      campaigns[slug_list[k]] =
          c ? CampaignInfo{std::move(*c), std::nullopt}
            : CampaignInfo{std::nullopt, make_error("campaign_not_found",
                                                    "no campaign \"" + slug_list[k] + "\"")};
    }
  }
  std::vector<Accepted> pending;
  for (auto i : leads) {
    auto where = resolve(campaigns, requests[i]);
    if (!where) {
      results[i] = std::unexpected(where.error());
      continue;
    }
    pending.push_back(Accepted{i, where->first, where->second, request_digest(requests[i]), "", 0});
  }
  // Nothing to insert, so nothing to check the cached campaigns with: read them.
  if (cached && pending.empty()) {
    cache.clear();
    return write_once(conn, requests, limits, cache);
  }
  std::sort(pending.begin(), pending.end(), [&](const Accepted& a, const Accepted& b) {
    return requests[a.index].idempotency_key < requests[b.index].idempotency_key;
  });

  try {
    // Insert every new pledge in one statement; what does not go in is a retry of a key that
    // exists. The chain head is locked in the same round trip, after the INSERT.
    std::int64_t created_us = now_us();
    std::vector<Accepted> inserted;
    std::optional<LedgerAppender> ledger;
    if (!pending.empty()) {
      sql::ArrayParam ref, campaign, fund, tkind, tid, amount, name, anon, contact, message,
          channel, key, digest;
      std::set<std::string> batch_references;  // unique in the batch, so RETURNING maps back
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
      std::vector<sql::Statement> inserting = {
          {"INSERT INTO pledges (reference, campaign_id, fund_id, target_kind, target_id, "
           "amount_fen, donor_name, anonymous, contact, message, channel, idempotency_key, "
           "request_digest, created_at) "
           "SELECT r, c, f, tk, ti, a, n, an, ct, m, ch, k, d, "
           "'epoch'::timestamptz + $14::bigint * interval '1 microsecond' FROM unnest("
           "$1::text[], $2::bigint[], $3::bigint[], $4::text[], $5::bigint[], "
           "$6::bigint[], $7::text[], $8::boolean[], $9::text[], $10::text[], $11::text[], "
           "$12::text[], $13::text[]) WITH ORDINALITY AS u(r, c, f, tk, ti, a, n, an, ct, m, ch, "
           "k, d, o) ORDER BY o ON CONFLICT (idempotency_key) DO NOTHING RETURNING reference, id",
           {ref.param(), campaign.param(), fund.param(), tkind.param(), tid.param(), amount.param(),
            name.param(), anon.param(), contact.param(), message.param(), channel.param(),
            key.param(), digest.param(), param(created_us)}},
          LedgerAppender::lock_statement()};
      std::size_t first = 0;  // of the INSERT's result
      if (cached) {
        inserting.insert(inserting.begin(), opening.begin(), opening.end());
        first = opening.size();
      }
      auto done = conn.exec_pipeline(inserting);
      for (const auto& d : done) {
        if (!d && d.error().constraint == "pledges_reference_key") {
          return fail(make_error("reference_taken", "a new reference code was taken; write again"));
        }
        if (!d)
          return fail(failed(d.error()));
      }
      if (first > 0) {
        for (std::size_t k = 0; k < slug_list.size(); ++k) {
          auto c = campaign_from_result(*done[1 + k]);
          if (!c || !same_campaign(*c, cache.at(slug_list[k]))) {
            cache.clear();  // changed since the last batch: again, reading them first
            return fail(make_error("campaigns_changed", "a campaign changed; write again"));
          }
        }
      }
      ledger = LedgerAppender::from_head(conn, *done[first + 1]);
      auto& r = done[first];
      std::map<std::string, std::int64_t> went_in;  // reference -> id
      for (int k = 0; k < r->rows(); ++k)
        went_in[std::string(r->text(k, 0))] = r->int64(k, 1);

      // What did not go in met a committed pledge with its key (ON CONFLICT waits for one being
      // written): a retry, answered with that pledge.
      std::vector<Accepted> retries;
      sql::ArrayParam retry_keys;
      for (auto& a : pending) {
        if (auto in = went_in.find(a.reference); in != went_in.end()) {
          a.id = in->second;
          inserted.push_back(a);
        } else {
          retries.push_back(a);
          retry_keys.add(requests[a.index].idempotency_key);
        }
      }
      if (!retries.empty()) {
        auto existing =
            conn.exec(std::string("SELECT ") + detail::kPledgeColumns + " FROM " +
                          detail::kPledgeFrom + " WHERE p.idempotency_key = ANY($1::text[])",
                      {retry_keys.param()});
        if (!existing)
          return fail(failed(existing.error()));
        std::map<std::string, std::pair<Pledge, std::string>> by_key;  // key -> pledge, digest
        for (int k = 0; k < existing->rows(); ++k) {
          by_key[std::string(existing->text(k, 16))] = {detail::pledge_from_row(*existing, k),
                                                        std::string(existing->text(k, 15))};
        }
        for (auto& a : retries) {
          auto it = by_key.find(requests[a.index].idempotency_key);
          if (it == by_key.end()) {
            return fail(make_error("db_error", "a pledge neither went in nor exists; write again"));
          }
          if (it->second.second != a.digest) {
            results[a.index] = std::unexpected(make_error(
                "idempotency_key_reused", "this idempotency key was used for a different pledge"));
          } else {
            it->second.first.replayed = true;
            results[a.index] = it->second.first;
          }
        }
      }
    }
    // Inserted in key order (so that two writers never wait for each other in turn); the ledger
    // and the events take them in the order they came.
    std::sort(inserted.begin(), inserted.end(),
              [](const Accepted& a, const Accepted& b) { return a.index < b.index; });

    PledgeBatchResult out;
    std::vector<std::pair<std::int64_t, std::int64_t>> created;  // (campaign, pledge), outbox
    std::set<std::int64_t> touched;
    for (const auto& a : inserted) {
      const auto& req = requests[a.index];
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

      LedgerEntry entry;
      entry.kind = "pledge";
      entry.campaign_id = p.campaign_id;
      entry.fund_id = p.fund_id;
      entry.pledge_id = p.id;
      entry.amount_fen = p.amount.fen();
      entry.public_name = p.public_name;
      entry.reference = p.reference;
      entry.memo = p.channel;
      ledger->append(entry);
      created.emplace_back(p.campaign_id, p.id);
      touched.insert(p.campaign_id);
      out.events.push_back(DomainEvent{"pledge.created", p.campaign_id, p, std::nullopt});
      results[a.index] = std::move(p);
    }

    // Round trip 3: the ledger, the totals, the head, the outbox, the new totals, COMMIT. A batch
    // of retries and refusals only commits: the ledger did not change.
    auto closing = inserted.empty() ? std::vector<sql::Statement>{} : ledger->finish_statements();
    if (!created.empty())
      closing.push_back(outbox_statement(batch_outbox_events("pledge.created", created)));
    std::size_t first_totals = closing.size();
    for (auto campaign_id : touched)
      closing.push_back(campaign_totals_statement(campaign_id));
    closing.push_back({"COMMIT", {}});
    auto closed = conn.exec_pipeline(closing);
    for (const auto& r : closed) {
      if (!r)
        return fail(failed(r.error()));
    }
    std::size_t k = first_totals;
    for (auto campaign_id : touched) {
      out.events.push_back(DomainEvent{"totals.changed", campaign_id, std::nullopt,
                                       totals_from_result(*closed[k++])});
    }

    // A key repeated inside the batch answers like a retry of its first request.
    for (auto i : followers) {
      const auto& lead = results[lead_of_key[requests[i].idempotency_key]];
      if (!lead || !*lead) {
        results[i] = lead ? *lead : std::unexpected(make_error("internal", "no lead result"));
      } else if (request_digest(requests[i]) !=
                 request_digest(requests[lead_of_key[requests[i].idempotency_key]])) {
        results[i] = std::unexpected(make_error(
            "idempotency_key_reused", "this idempotency key was used for a different pledge"));
      } else {
        Pledge again = **lead;
        again.replayed = true;
        results[i] = again;
      }
    }
    for (auto& r : results)
      out.pledges.push_back(std::move(*r));
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
    if (!out && out.error().code == "campaigns_changed")
      continue;  // the cache is clear now
    if (out || attempt == 4 || out.error().code != "reference_taken")
      return out;
  }
}

std::expected<Pledge, Error> find_pledge(sql::Connection& conn, const std::string& reference) {
  auto p = detail::select_pledge(conn, "p.reference = $1", params(reference), false);
  if (!p)
    return std::unexpected(p.error());
  if (!*p)
    return std::unexpected(make_error("pledge_not_found", "no pledge " + reference));
  return **p;
}

std::expected<Pledge, Error> cancel_pledge(sql::Connection& conn, const std::string& reference,
                                           const std::string& kind) {
  return sql::in_transaction(conn, [&](sql::Connection& tx) -> std::expected<Pledge, Error> {
    auto locked = detail::lock_pledge(tx, reference);
    if (!locked)
      return std::unexpected(locked.error());
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
    if (!u)
      return std::unexpected(failed(u.error()));
    LedgerEntry entry;
    entry.kind = kind == "expire" ? "expire" : "cancel";
    entry.campaign_id = pledge.campaign_id;
    entry.fund_id = pledge.fund_id;
    entry.pledge_id = pledge.id;
    entry.amount_fen = pledge.amount.fen();
    entry.public_name = pledge.public_name;
    entry.reference = pledge.reference;
    entry.memo = status;
    ledger.append(entry);
    if (auto f = ledger.finish(); !f)
      return std::unexpected(f.error());
    if (auto o = add_outbox_event(tx, "pledge.cancelled", pledge.campaign_id, pledge.id); !o) {
      return std::unexpected(o.error());
    }
    pledge.status = status;
    return pledge;
  });
}

}  // namespace boai::donations
