// RoomStore: SQL for rooms, events and sanctions; values always as parameters.
#include "web/room_store.hpp"

#include <charconv>

#include "donations/catalog.hpp"
#include "donations/held_pledges.hpp"
#include "sql/array_param.hpp"
#include "sql/transaction.hpp"

namespace boai::web {

using sql::params;

namespace {

Error failed(const sql::DbError& e) {
  return Error{e.code, e.message};
}

constexpr const char* kEventColumns =
    "seq, type, payload, message_id, removed, floor(extract(epoch FROM created_at) * 1000)::bigint";

std::vector<StoredRoomEvent> events_from(const sql::Result& r) {
  std::vector<StoredRoomEvent> out;
  for (int i = 0; i < r.rows(); ++i) {
    StoredRoomEvent e;
    e.seq = r.int64(i, 0);
    e.type = r.text(i, 1);
    e.payload = r.text(i, 2);
    if (!r.is_null(i, 3)) {
      e.message_id = r.int64(i, 3);
    }
    e.removed = r.boolean(i, 4);
    e.at_ms = r.int64(i, 5);
    out.push_back(std::move(e));
  }
  return out;
}

// PostgreSQL's text[] output: {a,"b c"} -> ["a", "b c"].
std::vector<std::string> parse_text_array(std::string_view text) {
  std::vector<std::string> out;
  if (text.size() < 2) {
    return out;
  }
  text = text.substr(1, text.size() - 2);
  std::string item;
  bool quoted = false, any = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted && c == '\\' && i + 1 < text.size()) {
      item += text[++i];
    } else if (c == '"') {
      quoted = !quoted;
      any = true;
    } else if (c == ',' && !quoted) {
      out.push_back(item);
      item.clear();
      any = false;
    } else {
      item += c;
      any = true;
    }
  }
  if (any || !item.empty()) {
    out.push_back(item);
  }
  return out;
}

}  // namespace

nlohmann::json totals_json(const donations::Campaign& c, const donations::Totals& t) {
  return {{"goal_fen", c.goal.fen()},
          {"pledged_fen", t.shown_pledged().fen()},
          {"received_fen", t.net_received().fen()},
          {"spent_fen", t.spent.fen()},
          {"pledge_count", t.shown_pledge_count()},
          {"sold_fen", t.net_sold().fen()},
          {"sale_received_fen", t.net_sale_received().fen()},
          {"sale_count", t.sale_count}};
}

sql::Statement latest_events_statement(const std::string& slug, int max_events) {
  return {std::string("SELECT ") + kEventColumns +
              " FROM (SELECT * FROM room_events WHERE room = $1 ORDER BY seq DESC LIMIT $2) e "
              "ORDER BY seq",
          params(slug, max_events)};
}

std::expected<std::optional<RoomSnapshot>, Error> load_room(sql::Connection& conn,
                                                            const std::string& slug, int max_events,
                                                            donations::Money show_unpaid_up_to) {
  auto campaign = donations::find_campaign(conn, slug);
  if (!campaign) {
    if (campaign.error().code == "campaign_not_found") {
      return std::optional<RoomSnapshot>{};
    }
    return std::unexpected(campaign.error());
  }
  RoomSnapshot snap;
  snap.campaign = std::move(*campaign);
  auto made =
      conn.exec("INSERT INTO rooms (slug) VALUES ($1) ON CONFLICT DO NOTHING", params(slug));
  if (!made) {
    return std::unexpected(failed(made.error()));
  }
  auto room = conn.exec("SELECT last_seq FROM rooms WHERE slug = $1", params(slug));
  if (!room) {
    return std::unexpected(failed(room.error()));
  }
  snap.last_seq = room->int64(0, 0);
  auto latest = latest_events_statement(slug, max_events);
  auto events = conn.exec(latest.sql, latest.params);
  if (!events) {
    return std::unexpected(failed(events.error()));
  }
  snap.events = events_from(*events);
  auto rules = load_room_rules(conn, slug);
  if (!rules) {
    return std::unexpected(rules.error());
  }
  snap.slow_mode_seconds = rules->slow_mode_seconds;
  snap.blocked_words = std::move(rules->blocked_words);
  snap.sanctions = std::move(rules->sanctions);
  auto totals = donations::room_totals(conn, snap.campaign.id, show_unpaid_up_to);
  if (!totals) {
    return std::unexpected(totals.error());
  }
  snap.totals = *totals;
  return std::optional<RoomSnapshot>{std::move(snap)};
}

std::expected<RoomRules, Error> load_room_rules(sql::Connection& conn, const std::string& slug) {
  RoomRules rules;
  auto room =
      conn.exec("SELECT slow_mode_seconds, blocked_words FROM rooms WHERE slug = $1", params(slug));
  if (!room) {
    return std::unexpected(failed(room.error()));
  }
  if (room->rows() == 1) {
    rules.slow_mode_seconds = static_cast<int>(room->int64(0, 0));
    rules.blocked_words = parse_text_array(room->text(0, 1));
  }
  auto sanctions = conn.exec(
      "SELECT kind, nickname, session, address, floor(extract(epoch FROM until) * 1000)::bigint "
      "FROM room_sanctions WHERE room = $1 AND until > now()",
      params(slug));
  if (!sanctions) {
    return std::unexpected(failed(sanctions.error()));
  }
  for (int i = 0; i < sanctions->rows(); ++i) {
    rules.sanctions.push_back(Sanction{std::string(sanctions->text(i, 0)),
                                       std::string(sanctions->text(i, 1)),
                                       std::string(sanctions->text(i, 2)),
                                       std::string(sanctions->text(i, 3)), sanctions->int64(i, 4)});
  }
  return rules;
}

namespace {
// Other nodes reload the room's rules when they hear this.
void announce_rules(sql::Connection& conn, const std::string& slug) {
  (void)conn.exec("SELECT pg_notify($1, $2)", params(kRoomRulesChannel, slug));
}
}  // namespace

std::expected<std::vector<StoredRoomEvent>, Error> append_room_events(
    sql::Connection& conn, const std::string& slug, const std::vector<NewRoomEvent>& events) {
  return sql::in_transaction(
      conn, [&](sql::Connection& tx) { return append_room_events_in(tx, slug, events); });
}

std::expected<std::vector<StoredRoomEvent>, Error> append_room_events_in(
    sql::Connection& tx, const std::string& slug, const std::vector<NewRoomEvent>& events) {
  auto n = static_cast<std::int64_t>(events.size());
  auto head =
      tx.exec("UPDATE rooms SET last_seq = last_seq + $2 WHERE slug = $1 RETURNING last_seq",
              params(slug, n));
  if (!head) {
    return std::unexpected(failed(head.error()));
  }
  if (head->rows() == 0) {
    return std::unexpected(make_error("room_not_found", "no room " + slug));
  }
  std::int64_t first = head->int64(0, 0) - n + 1;
  auto now = tx.exec("SELECT floor(extract(epoch FROM now()) * 1000)::bigint");
  if (!now) {
    return std::unexpected(failed(now.error()));
  }
  std::int64_t at_ms = now->int64(0, 0);

  std::vector<StoredRoomEvent> out;
  sql::ArrayParam seqs, types, ids, payloads, sessions, addresses;
  for (std::int64_t k = 0; k < n; ++k) {
    const auto& e = events[static_cast<std::size_t>(k)];
    StoredRoomEvent s;
    s.seq = first + k;
    s.type = e.type;
    s.at_ms = at_ms;
    nlohmann::json body = e.body;
    body["type"] = e.type;
    body["seq"] = s.seq;
    body["at"] = at_ms;
    if (e.type == "chat.message") {
      auto id = tx.exec("SELECT nextval('chat_message_ids')");
      if (!id) {
        return std::unexpected(failed(id.error()));
      }
      s.message_id = id->int64(0, 0);
      body["id"] = *s.message_id;
    }
    if (e.removes) {
      auto r = tx.exec("UPDATE room_events SET removed = true WHERE room = $1 AND message_id = $2",
                       params(slug, *e.removes));
      if (!r) {
        return std::unexpected(failed(r.error()));
      }
    }
    if (e.type == "donation.hidden") {  // later hellos' recent_donations leave it out
      auto r = tx.exec(
          "UPDATE room_events SET removed = true WHERE room = $1 AND type = 'donation' "
          "AND (payload::jsonb ->> 'pledge') = $2",
          params(slug, std::to_string(e.body.value("pledge", std::int64_t{0}))));
      if (!r) {
        return std::unexpected(failed(r.error()));
      }
    }
    if (e.type == "room.cleared") {
      auto r =
          tx.exec("UPDATE room_events SET removed = true WHERE room = $1 AND type = 'chat.message'",
                  params(slug));
      if (!r) {
        return std::unexpected(failed(r.error()));
      }
    }
    s.payload = body.dump();
    seqs.add(s.seq);
    types.add(s.type);
    ids.add(s.message_id ? std::optional<std::string>(std::to_string(*s.message_id))
                         : std::nullopt);
    payloads.add(s.payload);
    sessions.add(e.session);
    addresses.add(e.address);
    out.push_back(std::move(s));
  }
  auto ins = tx.exec(
      "INSERT INTO room_events (room, seq, type, message_id, payload, session, address) "
      "SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::bigint[], $5::text[], "
      "$6::text[], "
      "$7::text[])",
      {sql::param(slug), seqs.param(), types.param(), ids.param(), payloads.param(),
       sessions.param(), addresses.param()});
  if (!ins) {
    return std::unexpected(failed(ins.error()));
  }
  // Inside the transaction on purpose: NOTIFYs are delivered in commit order, which is seq
  // order.
  auto note = tx.exec("SELECT pg_notify($1, $2)",
                      params(kRoomChannel, room_notice_payload({slug, first, first + n - 1})));
  if (!note) {
    return std::unexpected(failed(note.error()));
  }

  return out;
}

std::expected<void, Error> hide_pledge(sql::Connection& conn, std::int64_t campaign_id,
                                       std::int64_t pledge, const std::string& by) {
  auto r =
      conn.exec("UPDATE pledges SET hidden_by = $3 WHERE id = $1 AND campaign_id = $2 RETURNING id",
                params(pledge, campaign_id, by));
  if (!r) {
    return std::unexpected(failed(r.error()));
  }
  if (r->rows() == 0) {
    return std::unexpected(make_error("pledge_not_found", "no such pledge in this room"));
  }
  return {};
}

std::expected<std::vector<StoredRoomEvent>, Error> fetch_room_events(sql::Connection& conn,
                                                                     const std::string& slug,
                                                                     std::int64_t after_seq,
                                                                     std::int64_t up_to_seq) {
  auto r =
      conn.exec(std::string("SELECT ") + kEventColumns +
                    " FROM room_events WHERE room = $1 AND seq > $2 AND seq <= $3 ORDER BY seq",
                params(slug, after_seq, up_to_seq));
  if (!r) {
    return std::unexpected(failed(r.error()));
  }
  return events_from(*r);
}

std::expected<Sanction, Error> add_sanction(sql::Connection& conn, const std::string& slug,
                                            const std::string& kind,
                                            std::optional<std::int64_t> message_id,
                                            const std::string& nickname, int minutes,
                                            const std::string& created_by) {
  Sanction s{kind, nickname, "", "", 0};
  if (message_id) {
    auto who = conn.exec(
        "SELECT session, address, payload::json->>'nickname' FROM room_events "
        "WHERE room = $1 AND message_id = $2",
        params(slug, *message_id));
    if (!who) {
      return std::unexpected(failed(who.error()));
    }
    if (who->rows() == 0) {
      return std::unexpected(make_error("message_not_found", "no such message in this room"));
    }
    // The session is one the server signed; the address covers a phone that drops it to start
    // afresh (and, a mute too, everyone on that address: a hall's Wi-Fi, say).
    s.session = who->text(0, 0);
    s.address = who->text(0, 1);
    s.nickname = who->text(0, 2);
  }
  auto r = conn.exec(
      "INSERT INTO room_sanctions (room, kind, nickname, session, address, until, created_by) "
      "VALUES ($1, $2, $3, $4, $5, now() + $6::int * interval '1 minute', $7) "
      "RETURNING floor(extract(epoch FROM until) * 1000)::bigint",
      params(slug, kind, s.nickname, s.session, s.address, minutes, created_by));
  if (!r) {
    return std::unexpected(failed(r.error()));
  }
  s.until_ms = r->int64(0, 0);
  announce_rules(conn, slug);
  return s;
}

std::expected<void, Error> save_room_settings(sql::Connection& conn, const std::string& slug,
                                              int slow_mode_seconds,
                                              const std::vector<std::string>& blocked_words) {
  sql::ArrayParam words;
  for (const auto& w : blocked_words) {
    words.add(w);
  }
  auto r = conn.exec(
      "UPDATE rooms SET slow_mode_seconds = $2, blocked_words = $3::text[] WHERE slug = $1",
      {sql::param(slug), sql::param(slow_mode_seconds), words.param()});
  if (!r) {
    return std::unexpected(failed(r.error()));
  }
  announce_rules(conn, slug);
  return {};
}

std::string room_notice_payload(const RoomNotice& notice) {
  return notice.slug + ":" + std::to_string(notice.first) + ":" + std::to_string(notice.last);
}

std::optional<RoomNotice> parse_room_notice(std::string_view payload) {
  // The slug is everything before the last two colons; the numbers are written by to_string.
  auto number = [](std::string_view text) -> std::optional<std::int64_t> {
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || std::to_string(value) != text) {
      return std::nullopt;
    }
    return value;
  };
  auto b = payload.rfind(':');
  if (b == std::string_view::npos || b == 0) {
    return std::nullopt;
  }
  auto a = payload.rfind(':', b - 1);
  if (a == std::string_view::npos || a == 0) {
    return std::nullopt;
  }
  auto first = number(payload.substr(a + 1, b - a - 1));
  auto last = number(payload.substr(b + 1));
  if (!first || !last || *first < 0 || *last < *first) {
    return std::nullopt;
  }
  return RoomNotice{std::string(payload.substr(0, a)), *first, *last};
}

}  // namespace boai::web
