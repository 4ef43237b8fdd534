// Pango markup escaping through GLib, after making the text valid UTF-8.
#include "stream/markup.hpp"

#include <glib.h>

#include "base/c_handle.hpp"

namespace boai::stream {

std::string escape_markup(std::string_view text) {
  CHandle<gchar, g_free> valid(g_utf8_make_valid(text.data(), static_cast<gssize>(text.size())));
  CHandle<gchar, g_free> escaped(g_markup_escape_text(valid.get(), -1));
  return escaped.get();
}

}  // namespace boai::stream
