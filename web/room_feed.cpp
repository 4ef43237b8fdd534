// RoomFeed: rooms loaded on demand, events written in order and delivered in seq order, catch-up
// from other nodes (NOTIFY boai_room), totals, moderation reloads and viewer counts.
#include "web/room_feed.hpp"

#include <algorithm>

#include "donations/catalog.hpp"
#include "donations/held_pledges.hpp"
#include "donations/outbox.hpp"
#include "web/random_id.hpp"
#include "web/room_event_decode.hpp"

namespace boai::web {

using nlohmann::json;

namespace {

// A donation event's body: what viewers see of a pledge (masked name, never a contact).
json donation_body(const donations::Pledge& pledge) {
  return {{"pledge", pledge.id},
          {"display_name", pledge.public_name},
          {"amount_fen", pledge.amount.fen()},
          {"message", pledge.message},
          {"fund", pledge.fund}};
}

}  // namespace

FramePtr settings_frame(const RoomState& room) {
  return make_frame(
      json{{"type", "room.settings"}, {"slow_mode_seconds", room.slow_mode_seconds}}.dump());
}

json totals_json(const RoomState& room) {
  return totals_json(room.campaign, room.totals);
}

RoomFeed::RoomFeed(std::size_t replay_events, donations::Money show_unpaid_up_to,
                   sql::WorkerPool& pool, RoomCounters& counters, GMainContext* context,
                   const std::string& conninfo, std::function<void(RoomState&)> rules_changed)
    : replay_events_(replay_events),
      show_unpaid_up_to_(show_unpaid_up_to),
      pool_(pool),
      counters_(counters),
      rules_changed_(std::move(rules_changed)),
      listener_(context, conninfo),
      presence_(random_id()) {
  // Other nodes' room events, moderation and viewers, and ledger changes made anywhere (the
  // desk, other nodes).
  listener_.listen(kRoomChannel,
                   [this](const std::string& payload) { heard_room_notice(payload); });
  listener_.listen(kRoomRulesChannel, [this](const std::string& slug) { reload_rules(slug); });
  listener_.listen(kPresenceChannel, [this](const std::string& payload) {
    presence_.heard(payload, RoomPresence::Clock::now());  // the next tick announces the sum
  });
  listener_.listen(donations::kEventChannel, [this](const std::string& payload) {
    auto body = json::parse(payload, nullptr, false);
    if (body.is_object()) {
      refresh_totals(body.value("campaign_id", std::int64_t{0}));
    }
  });
  listener_.start();
  timer_ = std::make_unique<LoopTimer>(context, std::chrono::seconds(1), [this] { tick(); });
}

RoomFeed::~RoomFeed() {
  *alive_ = false;
}

void RoomFeed::with_room(const std::string& slug, std::function<void(RoomState*)> then) {
  auto it = rooms_.find(slug);
  if (it != rooms_.end()) {
    auto& room = *it->second;
    if (room.phase() == RoomState::Phase::kLoading) {
      // A room whose load failed is no room: ready() says so, where the bare entry did not.
      room.waiting.push_back([this, slug, then] { then(ready(slug)); });
      return;
    }
    return then(room.phase() == RoomState::Phase::kReady ? &room : nullptr);
  }
  auto& fresh = rooms_[slug] = std::make_unique<RoomState>(slug, replay_events_);
  fresh->waiting.push_back([this, slug, then] { then(ready(slug)); });
  int max_events = static_cast<int>(replay_events_);
  pool_.run_expected<std::optional<RoomSnapshot>>(
      [slug, max_events, held_above = show_unpaid_up_to_](sql::Connection& c) {
        return load_room(c, slug, max_events, held_above);
      },
      [this, slug, alive = alive_](auto loaded) {
        if (!*alive) {
          return;
        }
        auto& room = *rooms_[slug];
        auto waiting = std::move(room.waiting);
        room.waiting.clear();
        if (loaded && *loaded) {
          room.open(std::move(**loaded));
          for (auto* o : observers_) {
            o->on_totals(room);
          }
        } else {
          room.set_missing();
        }
        for (auto& w : waiting) {
          w();
        }
        // A missing room or a failed load is forgotten, so it is looked up again next time.
        if (room.phase() != RoomState::Phase::kReady) {
          rooms_.erase(slug);
        }
      });
}

RoomState* RoomFeed::ready(const std::string& slug) {
  auto it = rooms_.find(slug);
  if (it == rooms_.end() || it->second->phase() != RoomState::Phase::kReady) {
    return nullptr;
  }
  return it->second.get();
}

void RoomFeed::leave(const std::string& slug, std::uint64_t id) {
  if (auto it = rooms_.find(slug); it != rooms_.end()) {
    it->second->members.erase(id);
  }
}

void RoomFeed::append(RoomState& room, NewRoomEvent event,
                      std::function<void(const StoredRoomEvent*)> done) {
  room.unwritten.emplace_back(std::move(event), std::move(done));
  write_next(room);
}

// One batch in flight a room: its events commit in the order they were appended.
void RoomFeed::write_next(RoomState& room) {
  if (room.writing || room.unwritten.empty()) {
    return;
  }
  room.writing = true;
  auto batch = std::move(room.unwritten);
  room.unwritten.clear();
  std::vector<NewRoomEvent> events;
  std::vector<std::function<void(const StoredRoomEvent*)>> dones;
  for (auto& [e, d] : batch) {
    events.push_back(std::move(e));
    dones.push_back(std::move(d));
  }
  std::string slug = room.slug();
  pool_.run_expected<std::vector<StoredRoomEvent>>(
      [slug, events = std::move(events)](sql::Connection& c) {
        return append_room_events(c, slug, events);
      },
      [this, slug, dones = std::move(dones), alive = alive_](auto written) {
        if (!*alive) {
          return;
        }
        auto& target = *rooms_[slug];
        target.writing = false;
        if (written) {
          deliver(target, *written);
        }
        for (std::size_t i = 0; i < dones.size(); ++i) {
          if (dones[i]) {
            dones[i](written ? &(*written)[i] : nullptr);
          }
        }
        write_next(target);
      });
}

void RoomFeed::deliver(RoomState& room, std::vector<StoredRoomEvent> events) {
  for (const auto* e : room.accept(std::move(events))) {
    broadcast(room, e->frame);
    if (!observers_.empty()) {
      tell_observers(room, e->stored);
    }
  }
  if (room.announced_seq() > room.seq()) {
    catch_up(room.slug(), room.announced_seq());
  }
}

void RoomFeed::tell_observers(const RoomState& room, const StoredRoomEvent& event) {
  if (event.type == "donation" || event.type == "donation.paid") {
    if (auto donation = decode_donation(event)) {
      for (auto* o : observers_) {
        if (event.type == "donation") {
          o->on_donation(room, *donation);
        } else {
          o->on_payment(room, *donation);
        }
      }
    }
  } else if (event.type == "donation.hidden") {
    auto body = json::parse(event.payload, nullptr, false);
    auto pledge = body.is_object() ? body.value("pledge", std::int64_t{0}) : 0;
    for (auto* o : observers_) {
      o->on_donation_hidden(room, pledge);
    }
  } else if (event.type == "wish.updated" || event.type == "wish.featured") {
    if (auto wish = decode_wish(event)) {
      for (auto* o : observers_) {
        o->on_wish(room, *wish, event.type == "wish.featured");
      }
    }
  } else if (event.type == "sale.updated" || event.type == "sale.featured") {
    if (auto item = decode_sale(event)) {
      for (auto* o : observers_) {
        o->on_sale(room, *item, event.type == "sale.featured");
      }
    }
  }
}

// "room:first:last" from the node that wrote a room's events.
void RoomFeed::heard_room_notice(const std::string& payload) {
  auto notice = parse_room_notice(payload);
  if (!notice) {
    return;
  }
  auto* room = ready(notice->slug);
  if (room == nullptr) {
    return;
  }
  room->announce(notice->last);
  if (notice->last > room->seq()) {
    catch_up(notice->slug, notice->last);
  }
}

void RoomFeed::catch_up(const std::string& slug, std::int64_t up_to) {
  auto& room = *rooms_[slug];
  room.announce(up_to);
  if (room.catching_up) {
    return;
  }
  room.catching_up = true;
  std::int64_t after = room.seq();
  pool_.run_expected<std::vector<StoredRoomEvent>>(
      [slug, after, up_to](sql::Connection& c) { return fetch_room_events(c, slug, after, up_to); },
      [this, slug, alive = alive_](auto fetched) {
        if (!*alive) {
          return;
        }
        auto& target = *rooms_[slug];
        target.catching_up = false;
        if (fetched) {
          deliver(target, std::move(*fetched));
        }
      });
}

void RoomFeed::on_ledger_events(const std::vector<donations::DomainEvent>& events) {
  for (const auto& e : events) {
    for (auto& [slug, room] : rooms_) {
      if (room->phase() != RoomState::Phase::kReady || room->campaign.id != e.campaign_id) {
        continue;
      }
      if (e.topic == "pledge.created" && e.pledge) {
        // A large promise nobody has paid yet is a claim anyone can make: shown once paid, and
        // out of the figures until then (the totals that follow count it: held from them here,
        // before the NOTIFY's read of the held pledges confirms it).
        const auto& p = *e.pledge;
        if (p.amount > show_unpaid_up_to_ && p.paid < p.amount) {
          room->totals.held =
              donations::Money::from_fen(room->totals.held.fen() + p.amount.fen() - p.paid.fen());
          room->totals.held_count += 1;
          continue;
        }
        append(*room, NewRoomEvent{"donation", donation_body(p), "", "", std::nullopt});
      } else if (e.topic == "totals.changed" && e.totals) {
        // A payment may release a held pledge: the NOTIFY's read says so; until then it stays out.
        auto totals = *e.totals;
        totals.held = room->totals.held;
        totals.held_count = room->totals.held_count;
        set_totals(*room, totals);
      }
    }
  }
}

// A ledger change made anywhere (here, the desk, another node): read the campaign's totals and
// held pledges again. A change heard during a read is read once more after it.
void RoomFeed::refresh_totals(std::int64_t campaign_id) {
  for (auto& [slug, room] : rooms_) {
    if (room->phase() != RoomState::Phase::kReady || room->campaign.id != campaign_id) {
      continue;
    }
    if (room->refreshing_totals) {
      room->totals_stale = true;
      continue;
    }
    room->refreshing_totals = true;
    room->totals_stale = false;
    pool_.run_expected<donations::Totals>(
        [campaign_id, held_above = show_unpaid_up_to_](sql::Connection& c) {
          return donations::room_totals(c, campaign_id, held_above);
        },
        [this, slug, campaign_id, alive = alive_](auto totals) {
          if (!*alive) {
            return;
          }
          auto& target = *rooms_[slug];
          target.refreshing_totals = false;
          if (totals) {
            set_totals(target, *totals);
          }
          if (target.totals_stale) {
            refresh_totals(campaign_id);
          }
        });
  }
}

void RoomFeed::set_totals(RoomState& room, const donations::Totals& totals) {
  if (totals == room.totals) {
    return;
  }
  bool shown_changed = totals_json(room.campaign, totals) != totals_json(room);
  room.totals = totals;
  if (!shown_changed) {  // a pledge and its cancellation, say: viewers see the same figures
    return;
  }
  broadcast(room, make_frame(json{{"type", "totals"}, {"totals", totals_json(room)}}.dump()));
  for (auto* o : observers_) {
    o->on_totals(room);
  }
}

void RoomFeed::add_observer(RoomObserver& observer) {
  observers_.push_back(&observer);
}

void RoomFeed::remove_observer(RoomObserver& observer) {
  std::erase(observers_, &observer);
}

void RoomFeed::reload_rules(const std::string& slug) {
  if (ready(slug) == nullptr) {
    return;
  }
  pool_.run_expected<RoomRules>([slug](sql::Connection& c) { return load_room_rules(c, slug); },
                                [this, slug, alive = alive_](auto rules) {
                                  if (!*alive || !rules) {
                                    return;
                                  }
                                  auto* room = ready(slug);
                                  if (room == nullptr) {
                                    return;
                                  }
                                  bool slower = rules->slow_mode_seconds != room->slow_mode_seconds;
                                  room->slow_mode_seconds = rules->slow_mode_seconds;
                                  room->blocked_words = std::move(rules->blocked_words);
                                  room->sanctions = std::move(rules->sanctions);
                                  rules_changed_(*room);
                                  if (slower) {
                                    broadcast(*room, settings_frame(*room));
                                  }
                                });
}

void RoomFeed::broadcast(RoomState& room, const FramePtr& frame) {
  for (auto& [id, conn] : room.members) {
    send(*conn, frame);
  }
}

void RoomFeed::send(WsConnection& conn, FramePtr frame) {
  counters_.messages_out.add();
  conn.send(std::move(frame));
}

std::size_t RoomFeed::viewers_of(const RoomState& room) {
  return room.members.size() + presence_.elsewhere(room.slug(), RoomPresence::Clock::now());
}

// This node's counts of its rooms that are due (all of them zero when it is leaving) go out
// in one job.
void RoomFeed::publish_presence(bool leaving) {
  auto now = RoomPresence::Clock::now();
  std::vector<std::string> counts;
  for (auto& [slug, room] : rooms_) {
    if (auto p = presence_.to_publish(slug, leaving ? 0 : room->members.size(), now)) {
      counts.push_back(*p);
    }
  }
  if (counts.empty()) {
    return;
  }
  pool_.run<bool>(
      [counts = std::move(counts)](sql::Connection& c) {
        for (const auto& payload : counts) {
          if (!c.exec("SELECT pg_notify($1, $2)", sql::params(kPresenceChannel, payload))) {
            return false;
          }
        }
        return true;
      },
      [](bool) {},  // a count that did not go out goes with the next heartbeat
      [](const sql::DbError&) { return false; });
}

void RoomFeed::tick() {
  publish_presence(false);
  // Viewer counts, this node's and the others', go out at most once a second, and only when
  // they changed.
  for (auto& [slug, room] : rooms_) {
    auto viewers = viewers_of(*room);
    if (viewers == room->viewers_announced) {
      continue;
    }
    room->viewers_announced = viewers;
    broadcast(*room, make_frame(json{{"type", "viewers"}, {"count", viewers}}.dump()));
  }
}

}  // namespace boai::web
