// RoomState: the ring of recent events and the reordering of events that arrive early.
#include "web/room_state.hpp"

#include <cctype>

namespace boai::web {

void RoomState::open(RoomSnapshot snapshot) {
  campaign = std::move(snapshot.campaign);
  totals = snapshot.totals;
  slow_mode_seconds = snapshot.slow_mode_seconds;
  blocked_words = std::move(snapshot.blocked_words);
  sanctions = std::move(snapshot.sanctions);
  // Events already stored are history: they go in the ring without being broadcast.
  delivered_seq_ = snapshot.events.empty() ? snapshot.last_seq : snapshot.events.front().seq - 1;
  announced_seq_ = snapshot.last_seq;
  accept(std::move(snapshot.events));
  delivered_seq_ = std::max(delivered_seq_, snapshot.last_seq);
  phase_ = Phase::kReady;
}

std::vector<const RoomEvent*> RoomState::accept(std::vector<StoredRoomEvent> events) {
  for (auto& e : events) {
    if (e.seq > delivered_seq_) {
      early_.emplace(e.seq, std::move(e));
    }
  }
  std::vector<const RoomEvent*> ready;
  while (!early_.empty() && early_.begin()->first == delivered_seq_ + 1) {
    auto e = std::move(early_.begin()->second);
    early_.erase(early_.begin());
    delivered_seq_ = e.seq;
    announced_seq_ = std::max(announced_seq_, e.seq);
    if (e.type == "chat.removed" || e.type == "room.cleared") {
      // Keep "recent" honest for later hellos.
      auto body = nlohmann::json::parse(e.payload, nullptr, false);
      for (auto& r : ring_) {
        if (r.stored.type != "chat.message") {
          continue;
        }
        if (e.type == "room.cleared" ||
            (body.is_object() && body.value("id", std::int64_t{-1}) == r.stored.message_id)) {
          r.stored.removed = true;
        }
      }
    }
    if (e.type == "donation.hidden") {
      hide_donation(e);
    }
    FramePtr frame = make_frame(e.payload);
    ring_.push_back(RoomEvent{std::move(e), std::move(frame)});
    if (ring_.size() > ring_size_) {
      ring_.pop_front();
    }
    ready.push_back(&ring_.back());
  }
  return ready;
}

void RoomState::hide_donation(const StoredRoomEvent& hidden) {
  auto body = nlohmann::json::parse(hidden.payload, nullptr, false);
  auto pledge = body.is_object() ? body.value("pledge", std::int64_t{0}) : 0;
  for (auto& r : ring_) {
    if (r.stored.type != "donation" || r.stored.removed) {
      continue;
    }
    auto shown = nlohmann::json::parse(r.stored.payload, nullptr, false);
    if (shown.is_object() && shown.value("pledge", std::int64_t{-1}) == pledge) {
      r.stored.removed = true;
    }
  }
}

std::optional<std::vector<const RoomEvent*>> RoomState::since(std::int64_t last_seq) const {
  if (last_seq > delivered_seq_ || last_seq < 0) {
    return std::nullopt;
  }
  std::vector<const RoomEvent*> out;
  if (last_seq == delivered_seq_) {
    return out;
  }
  if (ring_.empty() || ring_.front().stored.seq > last_seq + 1) {
    return std::nullopt;
  }
  for (const auto& e : ring_) {
    if (e.stored.seq > last_seq) {
      out.push_back(&e);
    }
  }
  return out;
}

bool RoomState::has_blocked_word(const std::string& text) const {
  auto lower = [](std::string s) {
    for (auto& c : s) {
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return s;
  };
  std::string lowered = lower(text);
  for (const auto& w : blocked_words) {
    if (!w.empty() && lowered.find(lower(w)) != std::string::npos) {
      return true;
    }
  }
  return false;
}

bool RoomState::sanctioned(const std::string& kind, const std::string& session_id,
                           const std::string& address, const std::string& nickname) const {
  auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  for (const auto& x : sanctions) {
    if (x.kind != kind || x.until_ms <= now_ms) {
      continue;
    }
    if (!x.session.empty() && x.session == session_id) {
      return true;
    }
    if (!x.address.empty() && x.address == address) {
      return true;
    }
    if (kind == "mute" && !x.nickname.empty() && x.nickname == nickname) {
      return true;
    }
  }
  return false;
}

nlohmann::json RoomState::recent(const std::string& type, std::size_t count) const {
  std::vector<const RoomEvent*> picked;
  for (auto it = ring_.rbegin(); it != ring_.rend() && picked.size() < count; ++it) {
    if (it->stored.type == type && !it->stored.removed) {
      picked.push_back(&*it);
    }
  }
  nlohmann::json out = nlohmann::json::array();
  for (auto it = picked.rbegin(); it != picked.rend(); ++it) {
    out.push_back(nlohmann::json::parse((*it)->stored.payload, nullptr, false));
  }
  return out;
}

nlohmann::json RoomState::latest(const std::string& type, const std::string& or_type) const {
  for (auto it = ring_.rbegin(); it != ring_.rend(); ++it) {
    if (it->stored.type == type || it->stored.type == or_type) {
      return nlohmann::json::parse(it->stored.payload, nullptr, false);
    }
  }
  return nullptr;
}

}  // namespace boai::web
