// Inside stream/ only: the studio's encoded outputs, the RTMP push targets. Each is an
// EncodedOutput pipeline of its own, fed through an EncodedFeed from the main pipeline's
// appsinks; one that fails is retried alone, with back-off. Everything but the feed runs on the
// GLib main loop.
#pragma once

#include <cstdint>
#include <expected>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.hpp"
#include "stream/encoded_feed.hpp"
#include "stream/encoded_output.hpp"
#include "stream/reaper.hpp"
#include "stream/studio_health.hpp"

namespace boai::stream {

class StudioOutputs {
 public:
  StudioOutputs(Reaper& reaper, StudioListener listener);
  StudioOutputs(const StudioOutputs&) = delete;
  StudioOutputs& operator=(const StudioOutputs&) = delete;

  std::shared_ptr<EncodedFeed> feed() const { return feed_; }

  void start();                 // the broadcast begins: every push target
  void end();                   // the broadcast is ending: each muxer gets its end of stream
  void clear();                 // the broadcast is over: every output torn down, "stopped"
  void tick(std::int64_t now);  // while live: failures noticed, retries due started

  // "push_url_invalid"; the id is "push-<n>". Started at once while live.
  std::expected<std::string, Error> add_push(std::string_view url);
  std::expected<void, Error> remove_push(std::string_view id);  // "push_target_unknown"

  void report(std::vector<OutputHealth>& rows) const;

 private:
  struct Slot {
    std::string id;
    std::string kind;    // "rtmp"
    std::string target;  // the URL with the key hidden
    std::string url;     // key included
    std::string state = "stopped";
    std::string last_error;
    std::uint32_t retries = 0;
    std::int64_t retry_at_us = 0;  // 0: no retry planned
    std::int64_t started_us = 0;
    int backoff_ms = 0;
    std::uint64_t bytes_before = 0;  // of earlier attempts
    std::shared_ptr<EncodedOutput> output;
  };

  void start(Slot& slot);
  void detach(Slot& slot);
  void fail(Slot& slot, const Error& error);

  Reaper& reaper_;
  StudioListener listener_;
  std::shared_ptr<EncodedFeed> feed_ = std::make_shared<EncodedFeed>();
  std::vector<Slot> slots_;
  bool live_ = false;
  int next_push_id_ = 1;
};

}  // namespace boai::stream
