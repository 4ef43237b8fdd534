// The live room in PostgreSQL: opening a room, appending its events in one order for every node,
// reading events back, and moderation that outlives a restart. Blocking calls: run them on
// sql::WorkerPool threads, never on the loop.
#pragma once

#include <cstdint>
#include <expected>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.hpp"
#include "donations/records.hpp"
#include "sql/connection.hpp"

namespace boai::web {

inline constexpr const char* kRoomChannel = "boai_room";  // NOTIFY payload "room:first:last"
inline constexpr const char* kRoomRulesChannel = "boai_room_rules";  // payload: the room

// A kRoomChannel notice: events first..last of the room were committed.
struct RoomNotice {
  std::string slug;
  std::int64_t first = 0;
  std::int64_t last = 0;
};

std::string room_notice_payload(const RoomNotice& notice);
// nullopt for a payload that room_notice_payload could not have written.
std::optional<RoomNotice> parse_room_notice(std::string_view payload);

struct StoredRoomEvent {
  std::int64_t seq = 0;
  std::string type;
  std::string payload;  // the frame exactly as viewers get it
  std::optional<std::int64_t> message_id;
  bool removed = false;
  std::int64_t at_ms = 0;
};

struct NewRoomEvent {
  std::string type;     // chat.message, donation, donation.paid, chat.removed, room.cleared
  nlohmann::json body;  // the frame without seq (and without id, for chat.message)
  std::string session;  // who said it; kept for moderators, never sent to viewers
  std::string address;
  std::optional<std::int64_t> removes;  // chat.removed: the message it removes
};

struct Sanction {
  std::string kind;  // mute, ban
  std::string nickname, session, address;
  std::int64_t until_ms = 0;
};

struct RoomSnapshot {
  donations::Campaign campaign;
  donations::Totals totals;
  std::int64_t last_seq = 0;
  int slow_mode_seconds = 0;
  std::vector<std::string> blocked_words;
  std::vector<StoredRoomEvent> events;  // the latest, oldest first
  std::vector<Sanction> sanctions;      // still in force
};

// The room's latest max_events events, oldest first: the primary key (room, seq) read backward
// and stopped by the LIMIT, so a room with millions of events opens as fast as a new one.
sql::Statement latest_events_statement(const std::string& slug, int max_events);

// nullopt when no campaign has this slug. The totals leave out open pledges above
// show_unpaid_up_to (donations/held_pledges.hpp).
std::expected<std::optional<RoomSnapshot>, Error> load_room(sql::Connection& conn,
                                                            const std::string& slug, int max_events,
                                                            donations::Money show_unpaid_up_to);

// Appends in one transaction under the room's row lock: gapless seqs, committed in order, and a
// NOTIFY that other nodes receive in that same order.
std::expected<std::vector<StoredRoomEvent>, Error> append_room_events(
    sql::Connection& conn, const std::string& slug, const std::vector<NewRoomEvent>& events);
// The same inside the caller's transaction, so that the events commit with the change they tell
// of (a payment's thanks with the outbox row relayed).
std::expected<std::vector<StoredRoomEvent>, Error> append_room_events_in(
    sql::Connection& tx, const std::string& slug, const std::vector<NewRoomEvent>& events);

// Marks a pledge of the campaign as hidden by a host (pledges.hidden_by). Errors:
// pledge_not_found (none of this campaign).
std::expected<void, Error> hide_pledge(sql::Connection& conn, std::int64_t campaign_id,
                                       std::int64_t pledge, const std::string& by);

std::expected<std::vector<StoredRoomEvent>, Error> fetch_room_events(sql::Connection& conn,
                                                                     const std::string& slug,
                                                                     std::int64_t after_seq,
                                                                     std::int64_t up_to_seq);

// A mute or ban of whoever wrote message_id (or of a nickname, for a mute). Errors:
// message_not_found.
std::expected<Sanction, Error> add_sanction(sql::Connection& conn, const std::string& slug,
                                            const std::string& kind,
                                            std::optional<std::int64_t> message_id,
                                            const std::string& nickname, int minutes,
                                            const std::string& created_by);

std::expected<void, Error> save_room_settings(sql::Connection& conn, const std::string& slug,
                                              int slow_mode_seconds,
                                              const std::vector<std::string>& blocked_words);

// A room's moderation as it stands: sanctions in force, slow mode, blocked words.
struct RoomRules {
  int slow_mode_seconds = 0;
  std::vector<std::string> blocked_words;
  std::vector<Sanction> sanctions;
};
std::expected<RoomRules, Error> load_room_rules(sql::Connection& conn, const std::string& slug);

nlohmann::json totals_json(const donations::Campaign& campaign, const donations::Totals& totals);

}  // namespace boai::web
