// The overlay's drawing primitives: a layer's cairo canvas in design pixels (720 rows, scaled to
// the frame), its colours, panels, progress bars and single lines of Pango text.
#pragma once

#include <cairo.h>
#include <pango/pangocairo.h>

#include <cstdint>
#include <string>

#include "base/c_handle.hpp"
#include "stream/overlay_renderer.hpp"

namespace boai::stream::overlay {

constexpr int kDesignHeight = 720;  // layouts are drawn for 720 rows and scaled to the frame

struct Rgba {
  double r, g, b, a;
};

constexpr Rgba kPanel{0.06, 0.06, 0.08, 0.72};
constexpr Rgba kRed{0.80, 0.07, 0.12, 1.0};      // the Red Cross's; settled money, a wish's gifts
constexpr Rgba kPledged{0.95, 0.55, 0.58, 1.0};  // pledged money not yet settled
constexpr Rgba kTrack{1.0, 1.0, 1.0, 0.18};      // the empty part of a bar
constexpr Rgba kWhite{1.0, 1.0, 1.0, 1.0};
constexpr Rgba kSoft{0.85, 0.85, 0.88, 1.0};
constexpr Rgba kInk{0.0, 0.0, 0.0, 1.0};

void set_color(cairo_t* cr, Rgba c);
void rounded_rect(cairo_t* cr, double x, double y, double w, double h, double r);
// A rounded panel filling (0, 0, w, h) of the canvas.
void fill_panel(cairo_t* cr, double w, double h, Rgba color = kPanel);

// Share of `part` in `whole` as a count of `width` pixels, in integers, clamped to [0, width].
int bar_pixels(std::int64_t part, std::int64_t whole, int width);

// A bar of `width` x `height` at (x, y): the track, then `part` of `whole` filled in `color` from
// the left (at least a round cap's worth once anything is filled).
void fill_bar_part(cairo_t* cr, double x, double y, int width, double height, std::int64_t part,
                   std::int64_t whole, Rgba color);
void fill_bar_track(cairo_t* cr, double x, double y, int width, double height);

// The look of a line of text: an absolute size in design pixels, bold or not, and where it sits
// in its box.
struct TextStyle {
  double size;
  bool bold = false;
  PangoAlignment align = PANGO_ALIGN_LEFT;
};

// One line of markup laid out in WenQuanYi Micro Hei, ellipsized to `max_width` design pixels.
// Measured before it is drawn, so a panel can fit its text.
class TextLine {
 public:
  TextLine(PangoContext* context, const std::string& markup, TextStyle style, double max_width);
  double width() const;   // the logical width, in design pixels
  double height() const;  // the logical height (ascent and descent), in design pixels
  void draw(cairo_t* cr, double x, double y, Rgba color) const;  // its top left at (x, y)

 private:
  CHandle<PangoLayout, g_object_unref> layout_;
};

// One layer being drawn: a surface the size of its design rectangle on the frame, with cairo
// scaled so that the layer's code draws in design pixels from its own top left corner.
class Canvas {
 public:
  // `scale` frame pixels per design pixel; the rectangle is clamped to the frame.
  Canvas(const char* name, double x, double y, double w, double h, double scale, int frame_width,
         int frame_height);
  cairo_t* cr() const { return cr_.get(); }
  OverlayLayer finish();  // the pixels, premultiplied ARGB32 rows without padding

 private:
  OverlayLayer layer_;
  CHandle<cairo_surface_t, cairo_surface_destroy> surface_;
  CHandle<cairo_t, cairo_destroy> cr_;
};

}  // namespace boai::stream::overlay
