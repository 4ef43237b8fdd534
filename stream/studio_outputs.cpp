// The push targets: started with the broadcast, retried alone when they fail.
#include "stream/studio_outputs.hpp"

#include <algorithm>

#include "stream/gst_util.hpp"
#include "stream/push_url.hpp"
#include "stream/source_spec.hpp"
#include "stream/studio_events.hpp"

namespace boai::stream {
namespace {

constexpr int kPushBackoffMinMs = 1'000;
constexpr int kPushBackoffMaxMs = 30'000;
constexpr std::int64_t kPushSettleUs = 2'000'000;  // no error this long after bytes flow: live

}  // namespace

StudioOutputs::StudioOutputs(Reaper& reaper, StudioListener listener)
    : reaper_(reaper), listener_(std::move(listener)) {}

void StudioOutputs::start() {
  live_ = true;
  for (Slot& slot : slots_) {
    slot.backoff_ms = 0;
    start(slot);
  }
}

void StudioOutputs::end() {
  live_ = false;
  for (Slot& slot : slots_) {
    if (slot.output) {
      slot.output->end_of_stream();
    }
  }
}

void StudioOutputs::clear() {
  live_ = false;
  feed_->clear();
  for (Slot& slot : slots_) {
    if (slot.output) {
      slot.bytes_before += slot.output->bytes();
    }
    reaper_.bury(std::move(slot.output));
    slot.state = "stopped";
    slot.retry_at_us = 0;
  }
}

void StudioOutputs::tick(std::int64_t now) {
  for (Slot& slot : slots_) {
    if (slot.output) {
      if (auto error = slot.output->poll()) {
        fail(slot, *error);
      } else if (slot.state == "starting" && slot.output->bytes() > 0 &&
                 now - slot.started_us > kPushSettleUs) {
        slot.state = "live";
        slot.backoff_ms = 0;
        notify(listener_, StudioEvent::Kind::kOutputUp, slot.id);
      }
    } else if (slot.retry_at_us != 0 && now >= slot.retry_at_us) {
      start(slot);
    }
  }
}

std::expected<std::string, Error> StudioOutputs::add_push(std::string_view url) {
  auto parsed = parse_push_url(url);
  if (!parsed) {
    return std::unexpected(parsed.error());
  }
  Slot push;
  push.id = "push-" + std::to_string(next_push_id_++);
  push.kind = "rtmp";
  push.target = parsed->display;
  push.url = parsed->url;
  slots_.push_back(std::move(push));
  if (live_) {
    start(slots_.back());
  }
  return slots_.back().id;
}

std::expected<void, Error> StudioOutputs::remove_push(std::string_view id) {
  auto it = std::find_if(slots_.begin(), slots_.end(),
                         [&](const Slot& slot) { return slot.kind == "rtmp" && slot.id == id; });
  if (it == slots_.end()) {
    return std::unexpected(make_error("push_target_unknown",
                                      "There is no push target " + quote_for_message(id) + "."));
  }
  detach(*it);
  slots_.erase(it);
  return {};
}

void StudioOutputs::report(std::vector<OutputHealth>& rows) const {
  for (const Slot& slot : slots_) {
    rows.push_back(OutputHealth{slot.id, slot.kind, slot.target, slot.state, slot.last_error,
                                slot.retries,
                                slot.bytes_before + (slot.output ? slot.output->bytes() : 0)});
  }
}

void StudioOutputs::start(Slot& slot) {
  slot.retry_at_us = 0;
  auto started = EncodedOutput::push(slot.url, slot.target);
  if (!started) {
    fail(slot, started.error());
    return;
  }
  slot.output = std::move(*started);
  slot.state = "starting";
  slot.started_us = now_us();
  feed_->add(slot.output);
}

void StudioOutputs::detach(Slot& slot) {
  if (!slot.output) {
    return;
  }
  feed_->remove(slot.output);
  slot.bytes_before += slot.output->bytes();
  reaper_.bury(std::move(slot.output));
}

void StudioOutputs::fail(Slot& slot, const Error& error) {
  detach(slot);
  slot.last_error = error.code + ": " + error.message;
  slot.retries++;
  slot.state = "retrying";
  slot.backoff_ms = std::min(std::max(kPushBackoffMinMs, slot.backoff_ms * 2), kPushBackoffMaxMs);
  slot.retry_at_us = now_us() + slot.backoff_ms * 1000LL;
  notify(listener_, StudioEvent::Kind::kOutputFailed, slot.id, error.code, error.message);
}

}  // namespace boai::stream
