// A hand-over point between two threads: one side pushes, the other takes everything at once.
#pragma once

#include <mutex>
#include <vector>

namespace boai::web {

template <typename T>
class Mailbox {
 public:
  // True when the box was empty: the pusher then wakes the taker, once for the whole batch.
  bool push(T item) {
    std::lock_guard lock(mutex_);
    items_.push_back(std::move(item));
    return items_.size() == 1;
  }

  // Moves a whole batch in under one lock; `items` is left empty. True as for push().
  bool push_all(std::vector<T>& items) {
    std::lock_guard lock(mutex_);
    bool was_empty = items_.empty();
    if (was_empty) {
      items_.swap(items);
    } else {
      for (auto& item : items) {
        items_.push_back(std::move(item));
      }
    }
    items.clear();
    return was_empty;
  }

  // Replaces `out` with everything pushed so far; the two vectors swap buffers, so neither
  // side allocates again once both have grown to the usual batch size.
  void take(std::vector<T>& out) {
    out.clear();
    std::lock_guard lock(mutex_);
    out.swap(items_);
  }

 private:
  std::mutex mutex_;
  std::vector<T> items_;
};

}  // namespace boai::web
