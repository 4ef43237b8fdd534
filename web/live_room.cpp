// LiveRoom: connections come and go, staff are recognised by their session cookie, frames are
// parsed and rate-limited, and each request goes to its handler through the request table.
#include "web/live_room.hpp"

#include <algorithm>
#include <charconv>

#include "donations/catalog.hpp"
#include "web/frame_peek.hpp"
#include "web/staff_accounts.hpp"

namespace boai::web {

using json = nlohmann::json;

// How often this node looks for unpaid sale orders past their hold.
constexpr std::chrono::seconds kSaleExpirySweep{2};
// How often the staff accounts' names (nicknames no viewer may take) are read again.
constexpr std::chrono::minutes kStaffNamesEvery{1};
// Frames kept while a new connection's cookie is looked up (a page sends its hello and a few more).
constexpr std::size_t kEarlyFramesKept = 16;

LiveRoom::LiveRoom(LiveRoomConfig config, sql::WorkerPool& pool, donations::PledgeBatcher& pledges,
                   Authenticator authenticate, Metrics& metrics, GMainContext* context,
                   const std::string& conninfo)
    : config_(std::move(config)),
      pool_(pool),
      pledges_(pledges),
      authenticate_(std::move(authenticate)),
      context_(context),
      counters_(metrics),
      requests_({hello_requests(), chat_requests(), pledge_requests(), moderation_requests(),
                 studio_requests(), wish_requests(), sale_requests()}),
      feed_(config_.replay_events, config_.show_unpaid_up_to, pool, counters_, context, conninfo,
            [this](RoomState& room) { close_banned(room); }),
      sale_expiry_(*this, kSaleExpirySweep) {
  feed_.listen(kStaffChannel, [this](const std::string& notice) {
    staff_changed(notice);
    load_staff_names();
  });
  // Accounts added at the desk announce nothing: their names are read again now and then.
  load_staff_names();
  names_timer_ =
      std::make_unique<LoopTimer>(context, kStaffNamesEvery, [this] { load_staff_names(); });
  metrics.gauge("boai_ws_connections", "open WebSocket connections",
                [this] { return static_cast<double>(sessions_.size()); });
  metrics.gauge("boai_rooms", "rooms open on this node",
                [this] { return static_cast<double>(feed_.size()); });
}

LiveRoom::~LiveRoom() {
  *alive_ = false;
}

void LiveRoom::on_open(WsConnection& c) {
  auto id = c.id();
  auto& s = sessions_[id] = std::make_unique<RoomSession>(
      c, TokenBucket(config_.messages_per_second, config_.message_burst),
      TokenBucket(config_.pledges_per_minute / 60.0, std::min(config_.pledges_per_minute, 5.0)));
  if (c.cookie().find("boai_session=") == std::string::npos || !authenticate_) {
    s->authenticated = true;
    return;
  }
  look_up_staff(*s);
}

// Who the cookie signs in, asked of the database; frames wait until the answer.
void LiveRoom::look_up_staff(RoomSession& s) {
  s.authenticated = false;
  auto id = s.id();
  auto lookup = ++s.staff_lookup;
  authenticate_(s.conn->cookie(),
                [this, id, lookup, alive = alive_](std::optional<StaffIdentity> staff) {
                  if (*alive) {
                    authenticated(id, lookup, std::move(staff));
                  }
                });
}

// The staff lookup is done: the frames that came before it are handled now, in order.
void LiveRoom::authenticated(std::uint64_t id, std::uint64_t lookup,
                             std::optional<StaffIdentity> staff) {
  auto* who = session(id);
  if (who == nullptr || lookup != who->staff_lookup) {
    return;
  }
  who->staff = std::move(staff);
  who->authenticated = true;
  if (who->rechecking) {
    who->rechecking = false;
    json changed = {{"type", "staff.changed"}, {"staff", nullptr}};
    if (who->staff) {
      changed["staff"] = {{"name", who->staff->name}, {"role", who->staff->role}};
    }
    reply(*who, changed.dump());
  }
  auto early = std::move(who->early_frames);
  for (const auto& text : early) {
    if (session(id) == nullptr) {
      return;
    }
    on_text(*who->conn, text);
  }
}

void LiveRoom::staff_changed(const std::string& notice) {
  std::string_view rest = notice;
  bool by_session = rest.starts_with("session ");
  bool by_user = rest.starts_with("user ");
  if (!by_session && !by_user) {
    return;
  }
  rest.remove_prefix(by_session ? 8 : 5);
  std::int64_t user_id = 0;
  if (by_user &&
      std::from_chars(rest.data(), rest.data() + rest.size(), user_id).ec != std::errc()) {
    return;
  }
  for (auto& [id, s] : sessions_) {
    const auto& staff = s->staff;
    if (staff && (by_session ? staff->session_key == rest : staff->user_id == user_id)) {
      s->staff.reset();
      s->rechecking = true;
      look_up_staff(*s);
    }
  }
}

void LiveRoom::load_staff_names() {
  using Names = std::optional<std::vector<std::string>>;
  pool_.run<Names>(
      [](sql::Connection& c) -> Names {
        auto r = c.exec("SELECT name FROM staff_users");
        if (!r) {
          return std::nullopt;
        }
        std::vector<std::string> names;
        for (int i = 0; i < r->rows(); ++i) {
          names.emplace_back(r->text(i, 0));
        }
        return names;
      },
      [this, alive = alive_](Names names) {
        if (*alive && names) {
          reserved_.set_staff(*names);
        }
      },
      [](const sql::DbError&) { return Names(); });  // the last names read stay
}

bool LiveRoom::staff_current(RoomSession& s) {
  if (s.staff && std::chrono::system_clock::now() >= s.staff->expires_at) {
    s.staff.reset();
    s.rechecking = true;
    look_up_staff(s);
  }
  return s.staff.has_value();
}

void LiveRoom::on_close(WsConnection& c) {
  auto it = sessions_.find(c.id());
  if (it == sessions_.end()) {
    return;
  }
  feed_.leave(it->second->room, c.id());
  sessions_.erase(it);
}

void LiveRoom::close_all() {
  for (auto& [id, s] : sessions_) {
    s->conn->close(kCloseGoingAway, "server restarting");
  }
  feed_.publish_leaving();  // other nodes drop our viewers now, not when our counts expire
}

void LiveRoom::on_text(WsConnection& c, std::string_view text) {
  counters_.messages_in.add();
  auto* s = session(c.id());
  if (s == nullptr) {
    return;
  }
  staff_current(*s);
  if (!s->authenticated) {
    // Kept until the cookie's staff lookup answers, a few; past them a frame is refused, not lost
    // without a word.
    if (s->early_frames.size() < kEarlyFramesKept) {
      s->early_frames.emplace_back(text);
    } else {
      counters_.rate_limited.add();
      reply(*s, error_frame(peek_client_frame(text).rid, "rate_limited",
                            "too many messages before the connection was ready; slow down"));
    }
    return;
  }
  // The limit comes before the parser: a flood's frames cost a scan for their rid, never a tree.
  if (!s->staff && !s->messages.take()) {
    counters_.rate_limited.add();
    reply(*s,
          error_frame(peek_client_frame(text).rid, "rate_limited", "too many messages; slow down"));
    return;
  }
  auto frame = parse_client_frame(text);
  if (!frame) {
    reply(*s, error_frame(std::nullopt, frame.error().code, frame.error().message));
    if (++s->bad_frames >= config_.bad_frames_before_close) {
      c.close(kClosePolicy, "too many bad frames");
    }
    return;
  }
  requests_.dispatch(*this, *s, *frame);
}

RoomSession* LiveRoom::session(std::uint64_t id) {
  auto it = sessions_.find(id);
  return it != sessions_.end() ? it->second.get() : nullptr;
}

void LiveRoom::attach_show(RoomObserver& observer, StudioControl& studio) {
  feed_.add_observer(observer);
  studio_ = &studio;
}

void LiveRoom::detach_show(RoomObserver& observer) {
  feed_.remove_observer(observer);
  studio_ = nullptr;
}

void LiveRoom::open_room(const std::string& slug) {
  if (donations::is_valid_slug(slug)) {
    feed_.with_room(slug, [](RoomState*) {});
  }
}

void LiveRoom::send_to_staff(const std::string& slug, const std::string& text) {
  auto* room = feed_.ready(slug);
  if (room == nullptr) {
    return;
  }
  FramePtr frame;
  for (auto& [id, conn] : room->members) {
    auto* s = session(id);
    if (s == nullptr || !staff_current(*s)) {
      continue;
    }
    if (!frame) {
      frame = make_frame(text);
    }
    feed_.send(*conn, frame);
  }
}

void LiveRoom::close_banned(RoomState& room) {
  std::vector<std::uint64_t> members;
  for (auto& [id, conn] : room.members) {
    members.push_back(id);
  }
  for (auto id : members) {
    auto* viewer = session(id);
    if (viewer == nullptr || viewer->staff || !viewer->sanctioned(room, "ban")) {
      continue;
    }
    reply(*viewer, error_frame(std::nullopt, "banned", "you were removed from this room"));
    viewer->conn->close(kClosePolicy, "banned");
  }
}

}  // namespace boai::web
