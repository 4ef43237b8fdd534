// Handing work from any thread to the GLib main loop: the one way other threads talk to the loop.
#pragma once

#include <glib.h>

#include <functional>

namespace boai {

namespace detail {
inline gboolean call_once(gpointer data) {
  (*static_cast<std::function<void()>*>(data))();
  return G_SOURCE_REMOVE;
}
inline void drop_call(gpointer data) {
  delete static_cast<std::function<void()>*>(data);
}
}  // namespace detail

// Runs fn on the thread that runs `context` (nullptr: the default main context), soon.
inline void run_on_loop(GMainContext* context, std::function<void()> fn) {
  g_main_context_invoke_full(context, G_PRIORITY_DEFAULT, detail::call_once,
                             new std::function<void()>(std::move(fn)), detail::drop_call);
}

// Runs fn on the loop's thread in a later turn, even when called from that thread: for work that
// gathers what one turn produced and handles it in one go.
inline void run_on_loop_later(GMainContext* context, std::function<void()> fn) {
  GSource* source = g_idle_source_new();
  g_source_set_priority(source, G_PRIORITY_HIGH);
  g_source_set_callback(source, detail::call_once, new std::function<void()>(std::move(fn)),
                        detail::drop_call);
  g_source_attach(source, context);
  g_source_unref(source);
}

}  // namespace boai
