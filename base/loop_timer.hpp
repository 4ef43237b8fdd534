// A repeating timer on a GLib loop, owned by the object it calls back: it stops when destroyed.
#pragma once

#include <glib.h>

#include <chrono>
#include <functional>

namespace boai {

class LoopTimer {
 public:
  // Runs fn every `every` on the thread of `context` (nullptr: the default main context).
  LoopTimer(GMainContext* context, std::chrono::milliseconds every, std::function<void()> fn)
      : fn_(std::move(fn)), source_(g_timeout_source_new(static_cast<guint>(every.count()))) {
    g_source_set_callback(
        source_,
        [](gpointer self) -> gboolean {
          static_cast<LoopTimer*>(self)->fn_();
          return G_SOURCE_CONTINUE;
        },
        this, nullptr);
    g_source_attach(source_, context);
  }
  ~LoopTimer() {
    g_source_destroy(source_);
    g_source_unref(source_);
  }
  LoopTimer(const LoopTimer&) = delete;
  LoopTimer& operator=(const LoopTimer&) = delete;

 private:
  std::function<void()> fn_;
  GSource* source_;
};

}  // namespace boai
