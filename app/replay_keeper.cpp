// The replay keeper's thread and the jobs it runs.
#include "app/replay_keeper.hpp"

#include <cstdio>
#include <filesystem>

#include "stream/replay_mp4.hpp"

namespace boai::app {

namespace fs = std::filesystem;

ReplayKeeper::ReplayKeeper(std::string dir, stream::DiskBudget budget,
                           std::chrono::milliseconds prune_every)
    : dir_(std::move(dir)), budget_(budget), prune_every_(prune_every), index_(dir_) {
  jobs_.push_back([this] { tidy(); });
  thread_ = std::thread([this] { run(); });
}

void ReplayKeeper::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_.store(true);
  }
  wake_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
  }
}

void ReplayKeeper::post(std::function<void()> job) {
  {
    std::lock_guard lock(mutex_);
    jobs_.push_back(std::move(job));
  }
  wake_.notify_all();
}

void ReplayKeeper::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_.load()) {
    if (jobs_.empty()) {
      idle_.notify_all();
      if (!wake_.wait_for(lock, prune_every_,
                          [this] { return stopping_.load() || !jobs_.empty(); })) {
        jobs_.push_back([this] { prune(); });
      }
      continue;
    }
    auto job = std::move(jobs_.front());
    jobs_.pop_front();
    busy_ = true;
    lock.unlock();
    try {
      job();
    } catch (const std::exception& e) {
      std::fprintf(stderr, "boai: replay library: %s\n", e.what());
    }
    lock.lock();
    busy_ = false;
  }
  idle_.notify_all();
}

void ReplayKeeper::settle() {
  post([this] { prune(); });
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [this] { return stopping_.load() || (jobs_.empty() && !busy_); });
}

void ReplayKeeper::broadcast_started(const std::string& name, const std::string& title) {
  {
    std::lock_guard lock(mutex_);
    recording_ = name;
  }
  post([this, name, title] {
    std::lock_guard lock(meta_mutex_);
    ReplayMeta meta = read_replay_meta(dir_ + "/" + name);
    if (meta.title.empty()) {
      meta.title = title;
      write_replay_meta(dir_ + "/" + name, meta);
    }
  });
}

void ReplayKeeper::broadcast_ended(const std::string& name) {
  {
    std::lock_guard lock(mutex_);
    if (recording_ == name) {
      recording_.clear();
    }
  }
  post([this] { tidy(); });
}

void ReplayKeeper::add_chapter(const std::string& name, double at_seconds,
                               const std::string& title) {
  post([this, name, at_seconds, title] {
    std::lock_guard lock(meta_mutex_);
    ReplayMeta meta = read_replay_meta(dir_ + "/" + name);
    meta.chapters.push_back({at_seconds, title});
    std::stable_sort(meta.chapters.begin(), meta.chapters.end(),
                     [](const auto& a, const auto& b) { return a.at_seconds < b.at_seconds; });
    write_replay_meta(dir_ + "/" + name, meta);
  });
}

std::expected<ReplayMeta, Error> ReplayKeeper::edit(const std::string& name,
                                                    const ReplayEdit& change) {
  auto parsed = stream::parse_recording_name(name);
  std::error_code ec;
  if (!parsed || !parsed->hls || !fs::is_directory(dir_ + "/" + name, ec)) {
    return std::unexpected(make_error("recording_unknown", "There is no replay " + name + "."));
  }
  std::lock_guard lock(meta_mutex_);
  ReplayMeta meta = read_replay_meta(dir_ + "/" + name);
  if (change.title) {
    meta.title = *change.title;
  }
  if (change.hidden) {
    meta.hidden = *change.hidden;
  }
  if (change.pinned) {
    meta.pinned = *change.pinned;
  }
  if (!write_replay_meta(dir_ + "/" + name, meta)) {
    return std::unexpected(make_error("recording_failed", "Cannot save the replay's details."));
  }
  return meta;
}

ReplayMeta ReplayKeeper::meta(const std::string& name) {
  std::lock_guard lock(meta_mutex_);
  return read_replay_meta(dir_ + "/" + name);
}

stream::LibraryUse ReplayKeeper::use() const {
  std::lock_guard lock(mutex_);
  return use_;
}

bool ReplayKeeper::keeps(const std::string& name) {
  {
    std::lock_guard lock(mutex_);
    if (name == recording_) {
      return true;
    }
  }
  return meta(name).pinned;
}

void ReplayKeeper::tidy() {
  std::string recording;
  {
    std::lock_guard lock(mutex_);
    recording = recording_;
  }
  stream::close_unfinished_replays(dir_, recording);
  auto all = index_.page(SIZE_MAX, "");
  for (const auto& r : all ? all->recordings : std::vector<stream::Recording>{}) {
    if (stopping_.load()) {
      return;
    }
    if (r.hls && r.ended && r.download.empty()) {
      if (auto made = stream::remux_replay_mp4(r.path, &stopping_); !made) {
        std::fprintf(stderr, "boai: replay %s: %s\n", r.name.c_str(), made.error().message.c_str());
      }
    }
  }
  prune();
}

void ReplayKeeper::prune() {
  auto use = stream::prune_replays(index_, budget_,
                                   [this](const std::string& name) { return keeps(name); });
  for (const auto& name : use.removed) {
    std::fprintf(stderr, "boai: replay %s removed: the library is over its disk budget\n",
                 name.c_str());
  }
  std::lock_guard lock(mutex_);
  use_ = std::move(use);
}

}  // namespace boai::app
