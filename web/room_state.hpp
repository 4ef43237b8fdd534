// One live room in memory on this node: who is in it, the recent events (for replay and for
// "recent" in welcome), in seq order, and its moderation settings.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "donations/records.hpp"
#include "web/room_store.hpp"
#include "web/ws_endpoint.hpp"

namespace boai::web {

struct RoomEvent {
  StoredRoomEvent stored;
  FramePtr frame;
};

class RoomState {
 public:
  enum class Phase { kLoading, kReady, kMissing };

  explicit RoomState(std::string slug, std::size_t ring_size)
      : slug_(std::move(slug)), ring_size_(ring_size) {}

  const std::string& slug() const { return slug_; }
  Phase phase() const { return phase_; }
  void set_missing() { phase_ = Phase::kMissing; }
  void open(RoomSnapshot snapshot);

  // Takes events in any order, possibly twice; returns those now deliverable, in seq order.
  std::vector<const RoomEvent*> accept(std::vector<StoredRoomEvent> events);
  std::int64_t seq() const { return delivered_seq_; }
  // The highest seq heard of (a NOTIFY may announce events not fetched yet).
  std::int64_t announced_seq() const { return announced_seq_; }
  void announce(std::int64_t seq) { announced_seq_ = std::max(announced_seq_, seq); }

  // Events after last_seq, or nullopt when they are no longer all held here.
  std::optional<std::vector<const RoomEvent*>> since(std::int64_t last_seq) const;
  // The latest events of a type still standing (removed chat left out), oldest first.
  nlohmann::json recent(const std::string& type, std::size_t count) const;
  // The latest event of either type still in the ring, or null.
  nlohmann::json latest(const std::string& type, const std::string& or_type) const;

  // Whether text holds one of the room's blocked words (ASCII letters in any case).
  bool has_blocked_word(const std::string& text) const;
  // Whether a mute or ban in force covers this session id, address or (mutes only) nickname.
  bool sanctioned(const std::string& kind, const std::string& session_id,
                  const std::string& address, const std::string& nickname) const;

  // The connections in the room, by id; a connection leaves before it is closed.
  std::map<std::uint64_t, WsConnection*> members;
  std::size_t viewers_announced = 0;
  donations::Campaign campaign;
  donations::Totals totals;  // the campaign's, summed over its funds
  int slow_mode_seconds = 0;
  std::vector<std::string> blocked_words;
  std::vector<Sanction> sanctions;
  // Hellos waiting for the room to load.
  std::vector<std::function<void()>> waiting;
  // Appends not yet written; one batch in flight at a time keeps a room's writes in order.
  std::vector<std::pair<NewRoomEvent, std::function<void(const StoredRoomEvent*)>>> unwritten;
  bool writing = false;
  bool catching_up = false;
  bool refreshing_totals = false;
  bool totals_stale = false;  // changed while refreshing_totals: read again

 private:
  // donation.hidden: the donation it names leaves "recent" (its name and message with it).
  void hide_donation(const StoredRoomEvent& hidden);

  std::string slug_;
  std::size_t ring_size_;
  Phase phase_ = Phase::kLoading;
  std::deque<RoomEvent> ring_;
  std::map<std::int64_t, StoredRoomEvent> early_;  // arrived before the events they follow
  std::int64_t delivered_seq_ = 0;
  std::int64_t announced_seq_ = 0;
};

}  // namespace boai::web
