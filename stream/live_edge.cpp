// The shared live edge, and the blocking reload's rule for when a playlist may be answered.
#include "stream/live_edge.hpp"

#include <cmath>
#include <utility>

namespace boai::stream {

EdgeAnswer judge(const EdgeSnapshot& s, std::int64_t msn, std::optional<int> part) {
  if (s.ended) {
    return EdgeAnswer::ready;  // nothing more will come: the final playlist is the answer
  }
  if (msn > s.open_msn + 2) {
    return EdgeAnswer::too_far;
  }
  if (!part) {
    return msn < s.open_msn ? EdgeAnswer::ready : EdgeAnswer::wait;
  }
  int p = *part;
  if (msn < s.open_msn - 1) {
    return EdgeAnswer::ready;
  }
  if (msn == s.open_msn - 1) {
    // Past its last part: the open segment's first part is the "later" one asked for.
    return p < s.previous_parts || s.open_parts > 0 ? EdgeAnswer::ready : EdgeAnswer::wait;
  }
  if (msn == s.open_msn && p < s.open_parts) {
    return EdgeAnswer::ready;
  }
  // Ahead of the newest part: held unless past the Advance Part Limit (three seconds of parts).
  std::int64_t ahead = (msn - s.open_msn) * s.segment_parts + p - s.open_parts;
  int limit =
      s.part_target > 0 && s.part_target < 1 ? static_cast<int>(std::ceil(3 / s.part_target)) : 3;
  return ahead + 1 > limit ? EdgeAnswer::too_far : EdgeAnswer::wait;
}

std::optional<EdgePosition> last_part(const EdgeSnapshot& s) {
  if (s.open_parts > 0) {
    return EdgePosition{s.open_msn, s.open_parts - 1};
  }
  if (s.previous_parts > 0) {
    return EdgePosition{s.open_msn - 1, s.previous_parts - 1};
  }
  return std::nullopt;
}

void LiveEdge::publish(const std::string& rendition, EdgeSnapshot snapshot) {
  auto shared = std::make_shared<const EdgeSnapshot>(std::move(snapshot));
  Listener listener;
  {
    std::lock_guard lock(mutex_);
    renditions_[rendition] = std::move(shared);
    listener = listener_;
  }
  if (listener) {
    listener();
  }
}

std::shared_ptr<const EdgeSnapshot> LiveEdge::get(const std::string& rendition) const {
  std::lock_guard lock(mutex_);
  auto it = renditions_.find(rendition);
  return it == renditions_.end() ? nullptr : it->second;
}

bool LiveEdge::empty() const {
  std::lock_guard lock(mutex_);
  return renditions_.empty();
}

std::string LiveEdge::reports(const std::string& rendition) const {
  std::lock_guard lock(mutex_);
  std::string out;
  for (const auto& [name, snapshot] : renditions_) {
    auto last = last_part(*snapshot);
    if (name == rendition || !last) {
      continue;
    }
    out += "#EXT-X-RENDITION-REPORT:URI=\"../" + name +
           "/index.m3u8\",LAST-MSN=" + std::to_string(last->msn) +
           ",LAST-PART=" + std::to_string(last->part) + "\n";
  }
  return out;
}

void LiveEdge::clear() {
  std::lock_guard lock(mutex_);
  renditions_.clear();
}

void LiveEdge::on_change(Listener listener) {
  std::lock_guard lock(mutex_);
  listener_ = std::move(listener);
}

}  // namespace boai::stream
