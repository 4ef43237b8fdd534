// Handing work from any thread to the GLib main loop: the one way other threads talk to the loop.
#pragma once

#include <glib.h>

#include <functional>

namespace boai {

// Runs fn on the thread that runs `context` (nullptr: the default main context), soon.
inline void run_on_loop(GMainContext* context, std::function<void()> fn) {
  auto* heap = new std::function<void()>(std::move(fn));
  g_main_context_invoke_full(
      context, G_PRIORITY_DEFAULT,
      [](gpointer data) -> gboolean {
        (*static_cast<std::function<void()>*>(data))();
        return G_SOURCE_REMOVE;
      },
      heap, [](gpointer data) { delete static_cast<std::function<void()>*>(data); });
}

}  // namespace boai
