// Viewer counts across the nodes that serve one room. Each node publishes its own count of a
// room (NOTIFY on kPresenceChannel) when it changes and every kHeartbeat while it has viewers;
// a room shows its own viewers plus what the other nodes said within kExpiry, so a node that
// died without a word drops out by itself. Plain C++: LiveRoom does the sending and listening.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace boai::web {

inline constexpr const char* kPresenceChannel = "boai_presence";  // payload "node room count"

class RoomPresence {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr auto kHeartbeat = std::chrono::seconds(10);
  static constexpr auto kExpiry = std::chrono::seconds(30);

  explicit RoomPresence(std::string node) : node_(std::move(node)) {}
  const std::string& node() const { return node_; }

  // A count another node published; false when malformed or our own (then ignored).
  bool heard(std::string_view payload, Clock::time_point now);
  // Viewers of the room on the other nodes, as last heard within kExpiry.
  std::size_t elsewhere(const std::string& room, Clock::time_point now);
  // The payload to publish for a room with `here` viewers on this node, if one is due: the
  // count changed since the last one, or a heartbeat is.
  std::optional<std::string> to_publish(const std::string& room, std::size_t here,
                                        Clock::time_point now);

 private:
  struct Count {
    std::size_t viewers;
    Clock::time_point at;
  };
  static void forget_silent(std::map<std::string, Count>& nodes, Clock::time_point now);

  std::string node_;
  std::map<std::string, std::map<std::string, Count>> heard_;  // room -> node -> count
  std::map<std::string, Count> published_;                     // room -> what we said
};

}  // namespace boai::web
