// The replay library's keeper: one thread of its own that does the library's disk work, so the
// loop never waits for it. When the service starts and after each broadcast it closes replays a
// killed studio left open and remuxes finished ones into their MP4 downloads; every half minute it
// removes the oldest replays beyond the disk budget (never the one being recorded, never a pinned
// one). It is the one writer of each replay's replay.json (title, hidden, pinned, chapters).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <expected>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "app/replay_meta.hpp"
#include "base/error.hpp"
#include "stream/recordings.hpp"
#include "stream/replay_upkeep.hpp"

namespace boai::app {

struct ReplayEdit {
  std::optional<std::string> title;
  std::optional<bool> hidden;
  std::optional<bool> pinned;
};

class ReplayKeeper {
 public:
  ReplayKeeper(std::string dir, stream::DiskBudget budget,
               std::chrono::milliseconds prune_every = std::chrono::seconds(30));
  ~ReplayKeeper() { stop(); }
  // Ends the thread: a remux under way is abandoned (its .part removed) and made at the next
  // start. What is queued is dropped. The reads and edits below still work. Idempotent.
  void stop();
  ReplayKeeper(const ReplayKeeper&) = delete;
  ReplayKeeper& operator=(const ReplayKeeper&) = delete;

  // Any thread, never blocking: the work is queued.
  void broadcast_started(const std::string& name, const std::string& title);
  void broadcast_ended(const std::string& name);
  void add_chapter(const std::string& name, double at_seconds, const std::string& title);

  // Blocking (the disk): call it off the loop. "recording_unknown" when there is no such replay.
  std::expected<ReplayMeta, Error> edit(const std::string& name, const ReplayEdit& edit);
  ReplayMeta meta(const std::string& name);

  stream::LibraryUse use() const;
  const stream::DiskBudget& budget() const { return budget_; }
  const std::string& dir() const { return dir_; }
  stream::RecordingIndex& index() { return index_; }
  // Waits until the queued work and a prune after it are done: for tests and the CLI.
  void settle();

 private:
  void post(std::function<void()> job);
  void run();
  void tidy();   // on the thread: close, remux, prune
  void prune();  // on the thread
  bool keeps(const std::string& name);

  std::string dir_;
  stream::DiskBudget budget_;
  std::chrono::milliseconds prune_every_;
  stream::RecordingIndex index_;
  std::mutex meta_mutex_;  // replay.json: one read-modify-write at a time
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable idle_;
  std::deque<std::function<void()>> jobs_;
  bool busy_ = false;
  std::string recording_;  // the replay being recorded now
  stream::LibraryUse use_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;  // last: started once everything above is ready
};

}  // namespace boai::app
