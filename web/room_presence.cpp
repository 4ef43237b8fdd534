// RoomPresence: the other nodes' viewer counts, and when to publish ours.
#include "web/room_presence.hpp"

#include <charconv>

namespace boai::web {

bool RoomPresence::heard(std::string_view payload, Clock::time_point now) {
  auto first = payload.find(' ');
  auto last = payload.rfind(' ');
  if (first == std::string_view::npos || first == 0 || last == first ||
      last + 1 >= payload.size()) {
    return false;
  }
  std::string_view node = payload.substr(0, first);
  std::string_view room = payload.substr(first + 1, last - first - 1);
  std::string_view digits = payload.substr(last + 1);
  std::size_t viewers = 0;
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), viewers);
  if (error != std::errc() || end != digits.data() + digits.size() || room.empty() ||
      node == node_) {
    return false;
  }
  auto& nodes = heard_[std::string(room)];
  if (viewers == 0) {
    nodes.erase(std::string(node));  // a node that says goodbye is gone at once
  } else {
    nodes[std::string(node)] = {viewers, now};
  }
  forget_silent(nodes, now);  // rooms this node never opens are cleaned up here
  return true;
}

void RoomPresence::forget_silent(std::map<std::string, Count>& nodes, Clock::time_point now) {
  std::erase_if(nodes, [now](const auto& n) { return now - n.second.at >= kExpiry; });
}

std::size_t RoomPresence::elsewhere(const std::string& room, Clock::time_point now) {
  auto it = heard_.find(room);
  if (it == heard_.end()) {
    return 0;
  }
  forget_silent(it->second, now);
  std::size_t sum = 0;
  for (const auto& [node, count] : it->second) {
    sum += count.viewers;
  }
  return sum;
}

std::optional<std::string> RoomPresence::to_publish(const std::string& room, std::size_t here,
                                                    Clock::time_point now) {
  auto it = published_.find(room);
  bool due = it == published_.end()
                 ? here > 0
                 : here != it->second.viewers || (here > 0 && now - it->second.at >= kHeartbeat);
  if (!due) {
    return std::nullopt;
  }
  published_[room] = {here, now};
  return node_ + " " + room + " " + std::to_string(here);
}

}  // namespace boai::web
