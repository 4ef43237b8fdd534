// The overlay's drawing primitives: canvases, panels, bars and Pango text lines (see the header).
#include "stream/overlay_canvas.hpp"

#include <algorithm>
#include <cstring>

namespace boai::stream::overlay {
namespace {

constexpr const char* kFontFamily = "WenQuanYi Micro Hei";

using FontDescription = CHandle<PangoFontDescription, pango_font_description_free>;

}  // namespace

void set_color(cairo_t* cr, Rgba c) {
  cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a);
}

void rounded_rect(cairo_t* cr, double x, double y, double w, double h, double r) {
  cairo_new_sub_path(cr);
  cairo_arc(cr, x + w - r, y + r, r, -G_PI / 2, 0);
  cairo_arc(cr, x + w - r, y + h - r, r, 0, G_PI / 2);
  cairo_arc(cr, x + r, y + h - r, r, G_PI / 2, G_PI);
  cairo_arc(cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path(cr);
}

void fill_panel(cairo_t* cr, double w, double h, Rgba color) {
  set_color(cr, color);
  rounded_rect(cr, 0, 0, w, h, 12);
  cairo_fill(cr);
}

int bar_pixels(std::int64_t part, std::int64_t whole, int width) {
  if (whole <= 0 || part <= 0) {
    return 0;
  }
  if (part >= whole) {
    return width;
  }
  // part < whole here; scale both down until the product cannot overflow.
  while (part > INT64_MAX / std::max(width, 1)) {
    part /= 2;
    whole /= 2;
  }
  return static_cast<int>(part * width / std::max<std::int64_t>(whole, 1));
}

void fill_bar_track(cairo_t* cr, double x, double y, int width, double height) {
  set_color(cr, kTrack);
  rounded_rect(cr, x, y, width, height, height / 2);
  cairo_fill(cr);
}

void fill_bar_part(cairo_t* cr, double x, double y, int width, double height, std::int64_t part,
                   std::int64_t whole, Rgba color) {
  int filled = bar_pixels(part, whole, width);
  if (filled <= 0) {
    return;
  }
  set_color(cr, color);
  rounded_rect(cr, x, y, std::max<double>(filled, height), height, height / 2);
  cairo_fill(cr);
}

TextLine::TextLine(PangoContext* context, const std::string& markup, TextStyle style,
                   double max_width)
    : layout_(pango_layout_new(context)) {
  FontDescription font(pango_font_description_new());
  pango_font_description_set_family(font.get(), kFontFamily);
  pango_font_description_set_absolute_size(font.get(), style.size * PANGO_SCALE);
  pango_font_description_set_weight(font.get(),
                                    style.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description(layout_.get(), font.get());
  pango_layout_set_width(layout_.get(), static_cast<int>(std::max(max_width, 1.0) * PANGO_SCALE));
  pango_layout_set_ellipsize(layout_.get(), PANGO_ELLIPSIZE_END);
  pango_layout_set_single_paragraph_mode(layout_.get(), TRUE);
  pango_layout_set_alignment(layout_.get(), style.align);
  pango_layout_set_markup(layout_.get(), markup.c_str(), -1);
}

double TextLine::width() const {
  PangoRectangle logical;
  pango_layout_get_extents(layout_.get(), nullptr, &logical);
  return static_cast<double>(logical.width) / PANGO_SCALE;
}

double TextLine::height() const {
  PangoRectangle logical;
  pango_layout_get_extents(layout_.get(), nullptr, &logical);
  return static_cast<double>(logical.height) / PANGO_SCALE;
}

void TextLine::draw(cairo_t* cr, double x, double y, Rgba color) const {
  set_color(cr, color);
  cairo_move_to(cr, x, y);
  pango_cairo_show_layout(cr, layout_.get());
}

Canvas::Canvas(const char* name, double x, double y, double w, double h, double scale,
               int frame_width, int frame_height) {
  auto px = [scale](double design) { return static_cast<int>(design * scale + 0.5); };
  layer_.name = name;
  layer_.x = std::clamp(px(x), 0, frame_width - 1);
  layer_.y = std::clamp(px(y), 0, frame_height - 1);
  layer_.width = std::clamp(px(w), 1, frame_width - layer_.x);
  layer_.height = std::clamp(px(h), 1, frame_height - layer_.y);
  surface_.reset(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, layer_.width, layer_.height));
  cr_.reset(cairo_create(surface_.get()));
  cairo_scale(cr_.get(), scale, scale);
}

OverlayLayer Canvas::finish() {
  cairo_surface_flush(surface_.get());
  int stride = cairo_image_surface_get_stride(surface_.get());
  const unsigned char* data = cairo_image_surface_get_data(surface_.get());
  size_t row = static_cast<size_t>(layer_.width) * 4;
  layer_.pixels.resize(row * static_cast<size_t>(layer_.height));
  for (int y = 0; y < layer_.height; ++y) {
    std::memcpy(layer_.pixels.data() + row * static_cast<size_t>(y),
                data + static_cast<size_t>(stride) * static_cast<size_t>(y), row);
  }
  cr_.reset();
  surface_.reset();
  return std::move(layer_);
}

}  // namespace boai::stream::overlay
