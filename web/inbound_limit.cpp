// InboundLimit: counts per connection and in all, and the list of connections not being read.
#include "web/inbound_limit.hpp"

#include <algorithm>

namespace boai::web {

bool InboundLimit::forwarded(std::uint64_t connection, std::size_t bytes) {
  bytes_ += bytes;
  auto frames = ++frames_[connection];
  if (may_read(frames) || std::ranges::find(paused_, connection) != paused_.end()) {
    return false;
  }
  paused_.push_back(connection);
  return true;
}

void InboundLimit::taken(std::uint64_t connection, std::size_t bytes,
                         std::vector<std::uint64_t>& resume) {
  bytes_ -= std::min(bytes, bytes_);
  if (auto it = frames_.find(connection); it != frames_.end() && --it->second == 0) {
    frames_.erase(it);
  }
  // Usually empty; when the total was reached, every connection it stopped is looked at again.
  std::erase_if(paused_, [&](std::uint64_t id) {
    auto it = frames_.find(id);
    if (!may_read(it != frames_.end() ? it->second : 0)) {
      return false;
    }
    resume.push_back(id);
    return true;
  });
}

void InboundLimit::closed(std::uint64_t connection) {
  frames_.erase(connection);
  std::erase(paused_, connection);
}

}  // namespace boai::web
