// LiveRoom: sessions, the boai.v1 requests, room events in seq order, fan-out, moderation.
#include "web/live_room.hpp"

#include <glib.h>
#include <openssl/rand.h>

#include <algorithm>

#include "base/on_loop.hpp"
#include "donations/catalog.hpp"
#include "donations/text_rules.hpp"

namespace boai::web {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

struct LiveRoom::Session {
  WsConnection* conn;
  std::string room;  // set once welcomed
  std::string nickname;
  std::string session_id;
  bool joining = false;
  bool authenticated = false;
  std::optional<StaffIdentity> staff;
  std::vector<std::string> early_frames;  // arrived before the staff lookup finished
  TokenBucket messages;
  TokenBucket pledges;
  int bad_frames = 0;
  Clock::time_point last_chat{};
};

namespace {

std::string random_id() {
  unsigned char bytes[12];
  RAND_bytes(bytes, sizeof bytes);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char b : bytes) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

bool is_session_token(const std::string& s) {
  return s.size() >= 8 && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
         });
}

std::string lower_ascii(std::string s) {
  for (auto& c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

LiveRoom::LiveRoom(LiveRoomConfig config, sql::WorkerPool& pool, donations::PledgeBatcher& pledges,
                   Authenticator authenticate, Metrics& metrics, GMainContext* context,
                   const std::string& conninfo)
    : config_(std::move(config)),
      pool_(pool),
      pledges_(pledges),
      authenticate_(std::move(authenticate)),
      context_(context),
      listener_(context, conninfo),
      presence_(random_id()),
      messages_in_(metrics.counter("boai_ws_messages_in_total", "frames received from clients")),
      messages_out_(metrics.counter("boai_ws_messages_out_total", "frames queued to clients")),
      rate_limited_(metrics.counter("boai_ws_rate_limited_total", "requests refused by a limit")),
      pledges_acked_(metrics.counter("boai_pledges_acknowledged_total", "pledges acknowledged")),
      pledge_ack_us_(metrics.counter("boai_pledge_ack_microseconds_total",
                                     "time from pledge.create to its ack, summed")) {
  metrics.gauge("boai_ws_connections", "open WebSocket connections",
                [this] { return static_cast<double>(sessions_.size()); });
  metrics.gauge("boai_rooms", "rooms open on this node",
                [this] { return static_cast<double>(rooms_.size()); });
  // Other nodes' room events, and ledger changes made anywhere (desk, other nodes).
  listener_.listen(kRoomChannel, [this](const std::string& payload) {
    auto a = payload.rfind(':'), b = payload.rfind(':', a - 1);
    if (a == std::string::npos || b == std::string::npos)
      return;
    std::string slug = payload.substr(0, b);
    auto it = rooms_.find(slug);
    if (it == rooms_.end() || it->second->phase() != RoomState::Phase::kReady)
      return;
    std::int64_t last = std::atoll(payload.c_str() + a + 1);
    it->second->announce(last);
    if (last > it->second->seq())
      catch_up(slug, last);
  });
  listener_.listen(kRoomRulesChannel, [this](const std::string& slug) { reload_rules(slug); });
  listener_.listen(kPresenceChannel, [this](const std::string& payload) {
    presence_.heard(payload, RoomPresence::Clock::now());  // the next tick announces the sum
  });
  listener_.listen("boai_events", [this](const std::string& payload) {
    auto body = json::parse(payload, nullptr, false);
    if (body.is_object())
      refresh_totals(body.value("campaign_id", std::int64_t{0}));
  });
  listener_.start();
  timer_ = std::make_unique<LoopTimer>(context_, std::chrono::seconds(1), [this] { tick(); });
}

LiveRoom::~LiveRoom() {
  *alive_ = false;
}

void LiveRoom::on_open(WsConnection& c) {
  auto session = std::make_unique<Session>(Session{
      &c,
      "",
      "",
      "",
      false,
      false,
      std::nullopt,
      {},
      TokenBucket(config_.messages_per_second, config_.message_burst),
      TokenBucket(config_.pledges_per_minute / 60.0, std::min(config_.pledges_per_minute, 5.0)),
      0,
      Clock::time_point{}});
  auto id = c.id();
  sessions_[id] = std::move(session);
  if (c.cookie().find("boai_session=") == std::string::npos || !authenticate_) {
    sessions_[id]->authenticated = true;
    return;
  }
  authenticate_(c.cookie(), [this, id, alive = alive_](std::optional<StaffIdentity> staff) {
    if (!*alive)
      return;
    auto found = sessions_.find(id);
    if (found == sessions_.end())
      return;
    auto& who = *found->second;
    who.staff = std::move(staff);
    who.authenticated = true;
    auto early = std::move(who.early_frames);
    for (const auto& text : early) {
      if (sessions_.find(id) == sessions_.end())
        return;
      on_text(*who.conn, text);
    }
  });
}

void LiveRoom::on_close(WsConnection& c) {
  auto it = sessions_.find(c.id());
  if (it == sessions_.end())
    return;
  if (auto r = rooms_.find(it->second->room); r != rooms_.end())
    r->second->members.erase(c.id());
  sessions_.erase(it);
}

void LiveRoom::close_all() {
  for (auto& [id, s] : sessions_)
    s->conn->close(kCloseGoingAway, "server restarting");
  publish_presence(true);  // other nodes drop our viewers now, not when our counts expire
}

void LiveRoom::reply(Session& s, const std::string& text) {
  messages_out_.add();
  s.conn->send(make_frame(text));
}

void LiveRoom::refuse(Session& s, const ClientFrame& f, const Error& e) {
  reply(s, error_frame(f.rid, e.code, e.message));
}

void LiveRoom::on_text(WsConnection& c, std::string_view text) {
  messages_in_.add();
  auto it = sessions_.find(c.id());
  if (it == sessions_.end())
    return;
  Session& s = *it->second;
  if (!s.authenticated) {
    if (s.early_frames.size() < 16)
      s.early_frames.emplace_back(text);
    return;
  }
  auto frame = parse_client_frame(text);
  if (!frame) {
    reply(s, error_frame(std::nullopt, frame.error().code, frame.error().message));
    if (++s.bad_frames >= config_.bad_frames_before_close)
      c.close(kClosePolicy, "too many bad frames");
    return;
  }
  if (!s.staff && !s.messages.take()) {
    rate_limited_.add();
    refuse(s, *frame, make_error("rate_limited", "too many messages; slow down"));
    return;
  }
  handle(s, *frame);
}

void LiveRoom::handle(Session& s, const ClientFrame& f) {
  if (f.type == "hello")
    return hello(s, f);
  if (f.type == "chat.send")
    return chat_send(s, f);
  if (f.type == "pledge.create")
    return pledge_create(s, f);
  if (f.type.starts_with("mod."))
    return moderate(s, f);
  if (f.type.starts_with("studio."))
    return command_studio(s, f);
  if (f.type == "ping")
    return reply(s, ack_frame(f.rid));
  ++s.bad_frames;
  refuse(s, f, make_error("unknown_type", "unknown type \"" + f.type.substr(0, 40) + "\""));
}

void LiveRoom::hello(Session& s, const ClientFrame& f) {
  if (!s.room.empty() || s.joining) {
    return refuse(s, f, make_error("bad_request", "this connection is in a room already"));
  }
  auto room = string_field(f, "room");
  if (!room)
    return refuse(s, f, room.error());
  auto nickname = string_field(f, "nickname", false);
  if (!nickname)
    return refuse(s, f, nickname.error());
  auto session = string_field(f, "session", false);
  if (!session)
    return refuse(s, f, session.error());
  auto last_seq = integer_field(f, "last_seq", std::int64_t{-1});
  if (!last_seq)
    return refuse(s, f, last_seq.error());

  std::string nick = donations::trim_text(*nickname);
  if (!donations::is_storable_text(nick)) {  // "\u0000" decodes to a NUL, which text cannot hold
    return refuse(s, f, make_error("text_invalid", "a nickname cannot hold a NUL character"));
  }
  if (donations::char_count(nick) > config_.max_nickname_chars) {
    return refuse(
        s, f,
        make_error("too_long", "a nickname is at most " +
                                   std::to_string(config_.max_nickname_chars) + " characters"));
  }
  if (nick.empty())
    nick = s.staff ? s.staff->name : "观众" + random_id().substr(0, 4);
  s.nickname = nick;
  s.session_id = is_session_token(*session) ? *session : random_id();
  if (!donations::is_valid_slug(*room)) {
    return refuse(s, f,
                  make_error("room_not_found", "no live room \"" + room->substr(0, 64) + "\""));
  }
  s.joining = true;
  auto id = s.conn->id();
  std::optional<std::int64_t> resume;
  if (*last_seq >= 0)
    resume = *last_seq;
  with_room(*room, [this, id, f, resume](RoomState* r) {
    auto found = sessions_.find(id);
    if (found == sessions_.end())
      return;
    Session& who = *found->second;
    who.joining = false;
    if (r == nullptr)
      return refuse(who, f, make_error("room_not_found", "no such live room"));
    if (!who.staff && sanctioned(*r, who, "ban")) {  // a host shares the hall's address
      refuse(who, f, make_error("banned", "you were removed from this room"));
      who.conn->close(kClosePolicy, "banned");
      return;
    }
    join(who, *r, resume);
    if (f.rid)
      reply(who, ack_frame(f.rid));
  });
}

void LiveRoom::join(Session& s, RoomState& room, std::optional<std::int64_t> last_seq) {
  s.room = room.slug();
  room.members.insert(s.conn->id());
  if (last_seq) {
    if (auto missed = room.since(*last_seq)) {
      for (const auto* e : *missed) {
        messages_out_.add();
        s.conn->send(e->frame);
      }
    } else {
      reply(s, json{{"type", "resync"}, {"seq", room.seq()}}.dump());
    }
  }
  json funds = json::array();
  for (const auto& fund : room.campaign.funds) {
    funds.push_back({{"slug", fund.slug}, {"name", fund.name}});
  }
  json welcome = {{"type", "welcome"},
                  {"room", room.slug()},
                  {"seq", room.seq()},
                  {"viewers", viewers_of(room)},
                  {"totals", room.totals},
                  {"recent", room.recent("chat.message", config_.recent_chat)},
                  {"recent_donations", room.recent("donation", config_.recent_donations)},
                  {"session", s.session_id},
                  {"nickname", s.nickname},
                  {"campaign",
                   {{"title", room.campaign.title},
                    {"status", room.campaign.status},
                    {"goal_fen", room.campaign.goal.fen()},
                    {"funds", funds}}},
                  {"slow_mode_seconds", room.slow_mode_seconds}};
  if (s.staff)
    welcome["staff"] = {{"name", s.staff->name}, {"role", s.staff->role}};
  reply(s, welcome.dump());
}

void LiveRoom::with_room(const std::string& slug, std::function<void(RoomState*)> then) {
  auto it = rooms_.find(slug);
  if (it != rooms_.end()) {
    auto& room = *it->second;
    if (room.phase() == RoomState::Phase::kLoading) {
      room.waiting.push_back([this, slug, then] { then(rooms_[slug].get()); });
      return;
    }
    return then(room.phase() == RoomState::Phase::kReady ? &room : nullptr);
  }
  auto& fresh = rooms_[slug] = std::make_unique<RoomState>(slug, config_.replay_events);
  fresh->waiting.push_back([this, slug, then] {
    auto r = rooms_.find(slug);
    then(r != rooms_.end() && r->second->phase() == RoomState::Phase::kReady ? r->second.get()
                                                                             : nullptr);
  });
  int max_events = static_cast<int>(config_.replay_events);
  using Loaded = std::expected<std::optional<RoomSnapshot>, Error>;
  pool_.run<Loaded>(
      [slug, max_events](sql::Connection& c) { return load_room(c, slug, max_events); },
      [this, slug, alive = alive_](Loaded loaded) {
        if (!*alive)
          return;
        auto& room = *rooms_[slug];
        auto waiting = std::move(room.waiting);
        room.waiting.clear();
        if (loaded && *loaded) {
          room.open(std::move(**loaded));
          if (on_totals)
            on_totals(room);
        } else {
          room.set_missing();
        }
        for (auto& w : waiting)
          w();
        // A missing room or a failed load is forgotten, so it is looked up again next time.
        if (room.phase() != RoomState::Phase::kReady)
          rooms_.erase(slug);
      },
      [](const sql::DbError& e) -> Loaded {
        return std::unexpected(Error{e.code, e.message});
      });
}

bool LiveRoom::sanctioned(const RoomState& room, const Session& s, const std::string& kind) const {
  auto now = now_ms();
  for (const auto& x : room.sanctions) {
    if (x.kind != kind || x.until_ms <= now)
      continue;
    if (!x.session.empty() && x.session == s.session_id)
      return true;
    if (!x.address.empty() && x.address == s.conn->peer())
      return true;
    if (kind == "mute" && !x.nickname.empty() && x.nickname == s.nickname)
      return true;
  }
  return false;
}

void LiveRoom::chat_send(Session& s, const ClientFrame& f) {
  auto it = rooms_.find(s.room);
  if (s.room.empty() || it == rooms_.end()) {
    return refuse(s, f, make_error("not_in_room", "say hello to a room first"));
  }
  auto& room = *it->second;
  auto text = string_field(f, "text");
  if (!text)
    return refuse(s, f, text.error());
  std::string t = donations::trim_text(*text);
  if (!donations::is_storable_text(t)) {
    return refuse(s, f, make_error("text_invalid", "a message cannot hold a NUL character"));
  }
  if (t.empty())
    return refuse(s, f, make_error("bad_request", "the message is empty"));
  if (donations::char_count(t) > config_.max_text_chars) {
    return refuse(
        s, f,
        make_error("too_long", "a message is at most " + std::to_string(config_.max_text_chars) +
                                   " characters"));
  }
  if (!s.staff) {
    std::string lowered = lower_ascii(t);
    for (const auto& w : room.blocked_words) {
      if (!w.empty() && lowered.find(lower_ascii(w)) != std::string::npos) {
        return refuse(
            s, f, make_error("blocked_word", "the message has a word this room does not allow"));
      }
    }
    if (sanctioned(room, s, "mute"))
      return refuse(s, f, make_error("muted", "you are muted for now"));
    auto now = Clock::now();
    if (room.slow_mode_seconds > 0 && s.last_chat != Clock::time_point{} &&
        now - s.last_chat < std::chrono::seconds(room.slow_mode_seconds)) {
      rate_limited_.add();
      return refuse(s, f,
                    make_error("slow_mode", "slow mode: one message every " +
                                                std::to_string(room.slow_mode_seconds) + " s"));
    }
    s.last_chat = now;
  }
  json body = {{"nickname", s.nickname}, {"text", t}};
  if (s.staff)
    body["staff"] = true;
  auto id = s.conn->id();
  append(room, NewRoomEvent{"chat.message", body, s.session_id, s.conn->peer(), std::nullopt},
         [this, id, f](const StoredRoomEvent* stored) {
           auto found = sessions_.find(id);
           if (found == sessions_.end())
             return;
           if (stored == nullptr) {
             return refuse(*found->second, f, make_error("db_unavailable", "not sent; try again"));
           }
           reply(*found->second,
                 ack_frame(f.rid, {{"seq", stored->seq}, {"id", *stored->message_id}}));
         });
}

void LiveRoom::pledge_create(Session& s, const ClientFrame& f) {
  auto it = rooms_.find(s.room);
  if (s.room.empty() || it == rooms_.end()) {
    return refuse(s, f, make_error("not_in_room", "say hello to a room first"));
  }
  if (!s.pledges.take()) {
    rate_limited_.add();
    return refuse(s, f,
                  make_error("rate_limited", "too many pledges from this phone; wait a minute"));
  }
  auto key = string_field(f, "idempotency_key");
  if (!key)
    return refuse(s, f, key.error());
  auto amount = integer_field(f, "amount_fen");
  if (!amount)
    return refuse(s, f, amount.error());
  auto name = string_field(f, "display_name", false);
  auto message = string_field(f, "message", false);
  auto fund = string_field(f, "fund", false);
  if (!name || !message || !fund) {
    return refuse(s, f, !name ? name.error() : !message ? message.error() : fund.error());
  }
  donations::PledgeRequest r;
  r.idempotency_key = *key;
  r.campaign = s.room;
  r.fund = *fund;
  r.amount = donations::Money::from_fen(*amount);
  r.anonymous = bool_field(f, "anonymous");
  // Only what the phone sent: a retry from a new connection (another nickname) must look the same.
  r.display_name = *name;
  r.message = *message;
  r.channel = "live";
  auto id = s.conn->id();
  auto started = Clock::now();
  pledges_.submit(std::move(r), [this, id, f, started, alive = alive_, context = context_](
                                    std::expected<donations::Pledge, Error> result) {
    // On a batch writer's thread, after commit: hand over to the loop.
    run_on_loop(context, [this, id, f, started, alive, result = std::move(result)] {
      if (!*alive)
        return;
      auto found = sessions_.find(id);
      if (found == sessions_.end())
        return;  // the phone went away; its retry will get this pledge
      if (!result)
        return refuse(*found->second, f, result.error());
      pledges_acked_.add();
      pledge_ack_us_.add(
          std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started).count());
      const auto& p = *result;
      json pay = {{"reference", p.reference},
                  {"remark", p.reference},
                  {"account", config_.pay.account},
                  {"qr_url", config_.pay.qr_url}};
      reply(*found->second, ack_frame(f.rid, {{"pledge",
                                               {{"reference", p.reference},
                                                {"amount_fen", p.amount.fen()},
                                                {"status", p.status},
                                                {"fund", p.fund},
                                                {"display_name", p.public_name},
                                                {"replayed", p.replayed},
                                                {"pay", pay}}}}));
    });
  });
}

void LiveRoom::on_ledger_events(const std::vector<donations::DomainEvent>& events) {
  for (const auto& e : events) {
    for (auto& [slug, room] : rooms_) {
      if (room->phase() != RoomState::Phase::kReady || room->campaign.id != e.campaign_id)
        continue;
      if (e.topic == "pledge.created" && e.pledge) {
        json body = {{"display_name", e.pledge->public_name},
                     {"amount_fen", e.pledge->amount.fen()},
                     {"message", e.pledge->message},
                     {"fund", e.pledge->fund}};
        append(*room, NewRoomEvent{"donation", body, "", "", std::nullopt});
      } else if (e.topic == "totals.changed" && e.totals) {
        set_totals(*room, totals_json(room->campaign, *e.totals));
      }
    }
  }
}

void LiveRoom::moderate(Session& s, const ClientFrame& f) {
  if (!s.staff || (s.staff->role != "host" && s.staff->role != "admin")) {
    return refuse(s, f, make_error("not_allowed", "only the room's hosts may do that"));
  }
  auto it = rooms_.find(s.room);
  if (s.room.empty() || it == rooms_.end()) {
    return refuse(s, f, make_error("not_in_room", "say hello to a room first"));
  }
  auto& room = *it->second;
  auto id = s.conn->id();
  auto ack = [this, id, f](const StoredRoomEvent* stored) {
    auto found = sessions_.find(id);
    if (found == sessions_.end())
      return;
    if (stored == nullptr)
      return refuse(*found->second, f, make_error("db_unavailable", "try again"));
    reply(*found->second, ack_frame(f.rid, {{"seq", stored->seq}}));
  };
  if (f.type == "mod.delete") {
    auto message = integer_field(f, "id");
    if (!message)
      return refuse(s, f, message.error());
    return append(room, NewRoomEvent{"chat.removed", {{"id", *message}}, "", "", *message}, ack);
  }
  if (f.type == "mod.clear")
    return append(room, NewRoomEvent{"room.cleared", json::object(), "", "", std::nullopt}, ack);
  if (f.type == "mod.mute" || f.type == "mod.ban") {
    bool ban = f.type == "mod.ban";
    auto message = integer_field(f, "id", std::int64_t{0});
    auto nickname = string_field(f, "nickname", false);
    auto minutes = integer_field(f, "minutes", std::int64_t{ban ? 24 * 60 : 10});
    if (!message || !nickname || !minutes) {
      return refuse(
          s, f,
          make_error("bad_request", "give \"id\" (a message) or \"nickname\", and \"minutes\""));
    }
    if ((*message == 0 && (ban || nickname->empty())) || *minutes < 1 || *minutes > 60 * 24 * 365) {
      return refuse(s, f,
                    make_error("bad_request", "give the message \"id\" and 1 minute to a year"));
    }
    std::optional<std::int64_t> msg;
    if (*message != 0)
      msg = *message;
    std::string slug = room.slug(), kind = ban ? "ban" : "mute", by = s.staff->name,
                nick = *nickname;
    int mins = static_cast<int>(*minutes);
    using Added = std::expected<Sanction, Error>;
    return pool_.run<Added>(
        [slug, kind, msg, nick, mins, by](sql::Connection& c) {
          return add_sanction(c, slug, kind, msg, nick, mins, by);
        },
        [this, id, f, slug, alive = alive_](Added added) {
          if (!*alive)
            return;
          auto me = sessions_.find(id);
          if (!added) {
            if (me != sessions_.end())
              refuse(*me->second, f, added.error());
            return;
          }
          auto& sanctioned_room = *rooms_[slug];
          sanctioned_room.sanctions.push_back(*added);
          if (added->kind == "ban")
            remove_banned(sanctioned_room);
          if (me != sessions_.end())
            reply(*me->second, ack_frame(f.rid, {{"until", added->until_ms}}));
        },
        [](const sql::DbError& e) -> Added {
          return std::unexpected(Error{e.code, e.message});
        });
  }
  if (f.type == "mod.slow" || f.type == "mod.blocked_words") {
    if (f.type == "mod.slow") {
      auto seconds = integer_field(f, "seconds");
      if (!seconds || *seconds < 0 || *seconds > 3600) {
        return refuse(s, f, make_error("bad_request", "\"seconds\" is 0 to 3600"));
      }
      room.slow_mode_seconds = static_cast<int>(*seconds);
    } else {
      auto words = f.body.find("words");
      if (words == f.body.end() || !words->is_array() || words->size() > 500) {
        return refuse(s, f, make_error("bad_request", "\"words\" is a list of up to 500 words"));
      }
      std::vector<std::string> list;
      for (const auto& w : *words) {
        if (w.is_string() && !w.get<std::string>().empty())
          list.push_back(w.get<std::string>());
      }
      room.blocked_words = list;
    }
    std::string slug = room.slug();
    int slow = room.slow_mode_seconds;
    auto words = room.blocked_words;
    using Saved = std::expected<void, Error>;
    pool_.run<Saved>([slug, slow, words](
                         sql::Connection& c) { return save_room_settings(c, slug, slow, words); },
                     [this, id, f, alive = alive_](Saved saved) {
                       if (!*alive)
                         return;
                       auto me = sessions_.find(id);
                       if (me == sessions_.end())
                         return;
                       if (!saved)
                         return refuse(*me->second, f, saved.error());
                       reply(*me->second, ack_frame(f.rid));
                     },
                     [](const sql::DbError& e) -> Saved {
                       return std::unexpected(Error{e.code, e.message});
                     });
    broadcast(
        room,
        make_frame(
            json{{"type", "room.settings"}, {"slow_mode_seconds", room.slow_mode_seconds}}.dump()));
    return;
  }
  refuse(s, f, make_error("unknown_type", "unknown type \"" + f.type.substr(0, 40) + "\""));
}

void LiveRoom::append(RoomState& room, NewRoomEvent event,
                      std::function<void(const StoredRoomEvent*)> done) {
  room.unwritten.emplace_back(std::move(event), std::move(done));
  write_next(room);
}

void LiveRoom::write_next(RoomState& room) {
  if (room.writing || room.unwritten.empty())
    return;
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
  using Written = std::expected<std::vector<StoredRoomEvent>, Error>;
  pool_.run<Written>([slug, events = std::move(events)](
                         sql::Connection& c) { return append_room_events(c, slug, events); },
                     [this, slug, dones = std::move(dones), alive = alive_](Written written) {
                       if (!*alive)
                         return;
                       auto& target = *rooms_[slug];
                       target.writing = false;
                       if (written) {
                         auto copy = *written;
                         deliver(target, std::move(copy));
                       }
                       for (std::size_t i = 0; i < dones.size(); ++i) {
                         if (dones[i])
                           dones[i](written ? &(*written)[i] : nullptr);
                       }
                       write_next(target);
                     },
                     [](const sql::DbError& e) -> Written {
                       return std::unexpected(Error{e.code, e.message});
                     });
}

void LiveRoom::deliver(RoomState& room, std::vector<StoredRoomEvent> events) {
  for (const auto* e : room.accept(std::move(events))) {
    broadcast(room, e->frame);
    if (on_room_event)
      on_room_event(room, e->stored);
  }
  if (room.announced_seq() > room.seq())
    catch_up(room.slug(), room.announced_seq());
}

void LiveRoom::catch_up(const std::string& slug, std::int64_t up_to) {
  auto& room = *rooms_[slug];
  room.announce(up_to);
  if (room.catching_up)
    return;
  room.catching_up = true;
  std::int64_t after = room.seq();
  using Fetched = std::expected<std::vector<StoredRoomEvent>, Error>;
  pool_.run<Fetched>(
      [slug, after, up_to](sql::Connection& c) { return fetch_room_events(c, slug, after, up_to); },
      [this, slug, alive = alive_](Fetched fetched) {
        if (!*alive)
          return;
        auto& target = *rooms_[slug];
        target.catching_up = false;
        if (fetched)
          deliver(target, std::move(*fetched));
      },
      [](const sql::DbError& e) -> Fetched {
        return std::unexpected(Error{e.code, e.message});
      });
}

void LiveRoom::refresh_totals(std::int64_t campaign_id) {
  for (auto& [slug, room] : rooms_) {
    if (room->phase() != RoomState::Phase::kReady || room->campaign.id != campaign_id ||
        room->refreshing_totals) {
      continue;
    }
    room->refreshing_totals = true;
    using Read = std::expected<donations::Totals, Error>;
    pool_.run<Read>(
        [campaign_id](sql::Connection& c) { return donations::campaign_totals(c, campaign_id); },
        [this, slug, alive = alive_](Read totals) {
          if (!*alive)
            return;
          auto& target = *rooms_[slug];
          target.refreshing_totals = false;
          if (!totals)
            return;
          auto j = totals_json(target.campaign, *totals);
          if (j == target.totals)
            return;
          target.totals = j;
          broadcast(target, make_frame(json{{"type", "totals"}, {"totals", j}}.dump()));
        },
        [](const sql::DbError& e) -> Read {
          return std::unexpected(Error{e.code, e.message});
        });
  }
}

void LiveRoom::set_totals(RoomState& room, json totals) {
  if (totals == room.totals)
    return;
  room.totals = std::move(totals);
  broadcast(room, make_frame(json{{"type", "totals"}, {"totals", room.totals}}.dump()));
  if (on_totals)
    on_totals(room);
}

void LiveRoom::open_room(const std::string& slug) {
  if (donations::is_valid_slug(slug))
    with_room(slug, [](RoomState*) {});
}

void LiveRoom::send_to_staff(const std::string& slug, const std::string& text) {
  auto it = rooms_.find(slug);
  if (it == rooms_.end())
    return;
  FramePtr frame;
  for (auto member : it->second->members) {
    auto s = sessions_.find(member);
    if (s == sessions_.end() || !s->second->staff)
      continue;
    if (!frame)
      frame = make_frame(text);
    messages_out_.add();
    s->second->conn->send(frame);
  }
}

void LiveRoom::command_studio(Session& s, const ClientFrame& f) {
  if (!s.staff || (s.staff->role != "host" && s.staff->role != "admin")) {
    return refuse(s, f, make_error("not_allowed", "only the room's hosts may do that"));
  }
  if (studio_ == nullptr || s.room != studio_->room()) {
    return refuse(s, f,
                  make_error("studio_unavailable", "no studio broadcasts into this room here"));
  }
  try {
    auto done = studio_->command(f.type, f.body);
    if (!done)
      return refuse(s, f, done.error());
    reply(s, ack_frame(f.rid, *done));
  } catch (const std::exception& e) {
    refuse(s, f, make_error("bad_request", e.what()));
  }
}

void LiveRoom::remove_banned(RoomState& room) {
  std::vector<std::uint64_t> members(room.members.begin(), room.members.end());
  for (auto member : members) {
    auto it = sessions_.find(member);
    if (it == sessions_.end())
      continue;
    auto& viewer = *it->second;
    if (viewer.staff || !sanctioned(room, viewer, "ban"))
      continue;
    reply(viewer, error_frame(std::nullopt, "banned", "you were removed from this room"));
    viewer.conn->close(kClosePolicy, "banned");
  }
}

void LiveRoom::reload_rules(const std::string& slug) {
  auto it = rooms_.find(slug);
  if (it == rooms_.end() || it->second->phase() != RoomState::Phase::kReady)
    return;
  using Loaded = std::expected<RoomRules, Error>;
  pool_.run<Loaded>([slug](sql::Connection& c) { return load_room_rules(c, slug); },
                    [this, slug, alive = alive_](Loaded rules) {
                      if (!*alive || !rules)
                        return;
                      auto& room = *rooms_[slug];
                      bool slower = rules->slow_mode_seconds != room.slow_mode_seconds;
                      room.slow_mode_seconds = rules->slow_mode_seconds;
                      room.blocked_words = std::move(rules->blocked_words);
                      room.sanctions = std::move(rules->sanctions);
                      remove_banned(room);
                      if (slower) {
                        broadcast(room,
                                  make_frame(json{{"type", "room.settings"},
                                                  {"slow_mode_seconds", room.slow_mode_seconds}}
                                                 .dump()));
                      }
                    },
                    [](const sql::DbError& e) -> Loaded {
                      return std::unexpected(Error{e.code, e.message});
                    });
}

void LiveRoom::broadcast(RoomState& room, const FramePtr& frame) {
  for (auto member : room.members) {
    auto it = sessions_.find(member);
    if (it == sessions_.end())
      continue;
    messages_out_.add();
    it->second->conn->send(frame);
  }
}

std::size_t LiveRoom::viewers_of(const RoomState& room) {
  return room.members.size() + presence_.elsewhere(room.slug(), RoomPresence::Clock::now());
}

// This node's counts of its rooms that are due (all of them zero when it is leaving) go out
// in one job.
void LiveRoom::publish_presence(bool leaving) {
  auto now = RoomPresence::Clock::now();
  std::vector<std::string> counts;
  for (auto& [slug, room] : rooms_) {
    if (auto p = presence_.to_publish(slug, leaving ? 0 : room->members.size(), now)) {
      counts.push_back(*p);
    }
  }
  if (counts.empty())
    return;
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

void LiveRoom::tick() {
  publish_presence(false);
  // Viewer counts, this node's and the others', go out at most once a second, and only when
  // they changed.
  for (auto& [slug, room] : rooms_) {
    auto viewers = viewers_of(*room);
    if (viewers == room->viewers_announced)
      continue;
    room->viewers_announced = viewers;
    broadcast(*room, make_frame(json{{"type", "viewers"}, {"count", viewers}}.dump()));
  }
}

}  // namespace boai::web
