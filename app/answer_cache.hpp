// Public answers that are the same for everyone (the books' summary, months and lists), kept for
// a moment on the loop: under load one database read serves every request that arrives within it,
// and a 304 costs a lookup. Loop thread only; the answers say max-age=5, so a second is no news.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <unordered_map>

namespace boai::app {

class AnswerCache {
 public:
  using Clock = std::chrono::steady_clock;
  explicit AnswerCache(Clock::duration fresh_for) : fresh_for_(fresh_for) {}

  // The body kept for key if it is still fresh, else nullptr.
  const std::string* find(const std::string& key, Clock::time_point now = Clock::now()) const {
    auto it = answers_.find(key);
    return it != answers_.end() && now - it->second.at < fresh_for_ ? &it->second.body : nullptr;
  }
  void keep(const std::string& key, std::string body, Clock::time_point now = Clock::now()) {
    // Keys come from the query string: bounded, whatever callers send.
    if (answers_.size() >= kMaxAnswers && !answers_.contains(key)) {
      answers_.clear();
    }
    answers_[key] = {std::move(body), now};
  }

 private:
  struct Answer {
    std::string body;
    Clock::time_point at;
  };
  static constexpr std::size_t kMaxAnswers = 1000;
  Clock::duration fresh_for_;
  std::unordered_map<std::string, Answer> answers_;
};

}  // namespace boai::app
