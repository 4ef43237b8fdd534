// cairo + Pango drawing of the overlay. All text from outside is escaped before it becomes markup,
// and every line is ellipsized inside its box, so no input can spill over the picture.
#include "stream/overlay_renderer.hpp"

#include <cairo.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <cstring>

#include "base/c_handle.hpp"
#include "stream/markup.hpp"
#include "stream/money_text.hpp"
#include "stream/qr_code.hpp"

namespace boai::stream {
namespace {

constexpr const char* kFontFamily = "WenQuanYi Micro Hei";
constexpr int kDesignHeight = 720;  // the layout below is drawn for 720 rows and scaled
constexpr size_t kTickerEntries = 4;

using Surface = CHandle<cairo_surface_t, cairo_surface_destroy>;
using Cairo = CHandle<cairo_t, cairo_destroy>;
using FontDescription = CHandle<PangoFontDescription, pango_font_description_free>;

struct Rgba {
  double r, g, b, a;
};

constexpr Rgba kPanel{0.06, 0.06, 0.08, 0.72};
constexpr Rgba kRed{0.80, 0.07, 0.12, 1.0};
constexpr Rgba kPledged{0.95, 0.55, 0.58, 1.0};
constexpr Rgba kWhite{1.0, 1.0, 1.0, 1.0};
constexpr Rgba kSoft{0.85, 0.85, 0.88, 1.0};

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

// Share of `part` in `whole` as a count of `width` pixels, in integers, clamped to [0, width].
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

}  // namespace

struct OverlayRenderer::Impl {
  int frame_width;
  int frame_height;
  double scale;
  CHandle<PangoFontMap, g_object_unref> font_map;
  CHandle<PangoContext, g_object_unref> context;

  Impl(int w, int h)
      : frame_width(w),
        frame_height(h),
        scale(static_cast<double>(h) / kDesignHeight),
        font_map(pango_cairo_font_map_new()),
        context(pango_font_map_create_context(font_map.get())) {}

  int px(double design) const { return static_cast<int>(design * scale + 0.5); }

  // A layer of design size (w, h) at design position (x, y), clamped to the frame.
  struct Canvas {
    OverlayLayer layer;
    Surface surface;
    Cairo cr;
  };

  Canvas canvas(const char* name, double x, double y, double w, double h) {
    Canvas c;
    c.layer.name = name;
    c.layer.x = std::clamp(px(x), 0, frame_width - 1);
    c.layer.y = std::clamp(px(y), 0, frame_height - 1);
    c.layer.width = std::clamp(px(w), 1, frame_width - c.layer.x);
    c.layer.height = std::clamp(px(h), 1, frame_height - c.layer.y);
    c.surface.reset(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, c.layer.width, c.layer.height));
    c.cr.reset(cairo_create(c.surface.get()));
    cairo_scale(c.cr.get(), scale, scale);
    return c;
  }

  OverlayLayer finish(Canvas& c) {
    cairo_surface_flush(c.surface.get());
    int stride = cairo_image_surface_get_stride(c.surface.get());
    const unsigned char* data = cairo_image_surface_get_data(c.surface.get());
    size_t row = static_cast<size_t>(c.layer.width) * 4;
    c.layer.pixels.resize(row * static_cast<size_t>(c.layer.height));
    for (int y = 0; y < c.layer.height; ++y) {
      std::memcpy(c.layer.pixels.data() + row * static_cast<size_t>(y),
                  data + static_cast<size_t>(stride) * static_cast<size_t>(y), row);
    }
    c.cr.reset();
    c.surface.reset();
    return std::move(c.layer);
  }

  // One line of markup, ellipsized to `width` design pixels, its top at (x, y).
  void text(cairo_t* cr, const std::string& markup, double x, double y, double width, double size,
            bool bold, Rgba color, PangoAlignment align = PANGO_ALIGN_LEFT) {
    pango_cairo_update_context(cr, context.get());
    CHandle<PangoLayout, g_object_unref> layout(pango_layout_new(context.get()));
    FontDescription font(pango_font_description_new());
    pango_font_description_set_family(font.get(), kFontFamily);
    pango_font_description_set_absolute_size(font.get(), size * PANGO_SCALE);
    pango_font_description_set_weight(font.get(), bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(layout.get(), font.get());
    pango_layout_set_width(layout.get(), static_cast<int>(width * PANGO_SCALE));
    pango_layout_set_ellipsize(layout.get(), PANGO_ELLIPSIZE_END);
    pango_layout_set_single_paragraph_mode(layout.get(), TRUE);
    pango_layout_set_alignment(layout.get(), align);
    pango_layout_set_markup(layout.get(), markup.c_str(), -1);
    set_color(cr, color);
    cairo_move_to(cr, x, y);
    pango_cairo_show_layout(cr, layout.get());
  }

  void panel(cairo_t* cr, double w, double h, Rgba color = kPanel) {
    set_color(cr, color);
    rounded_rect(cr, 0, 0, w, h, 10);
    cairo_fill(cr);
  }

  void title(const OverlayState& s, std::vector<OverlayLayer>& out) {
    if (s.campaign_title.empty() && s.goal_fen <= 0 && s.certificate_line.empty()) {
      return;
    }
    constexpr double kW = 660;
    bool goal = s.goal_fen > 0;
    bool cert = !s.certificate_line.empty();
    double h = 16 + 38 + (goal ? 58 : 0) + (cert ? 24 : 0) + 8;
    Canvas c = canvas("title", 24, 20, kW, h);
    cairo_t* cr = c.cr.get();
    panel(cr, kW, h);
    double y = 12;
    text(cr, "<b>" + escape_markup(s.campaign_title) + "</b>", 18, y, kW - 36, 30, true, kWhite);
    y += 42;
    if (goal) {
      std::string line = "\xE5\xB7\xB2\xE7\xAD\xB9 " + escape_markup(format_fen(s.raised_fen)) +
                         "  \xC2\xB7  \xE5\x88\xB0\xE8\xB4\xA6 " +
                         escape_markup(format_fen(s.settled_fen)) +
                         "  /  \xE7\x9B\xAE\xE6\xA0\x87 " + escape_markup(format_fen(s.goal_fen));
      text(cr, line, 18, y, kW - 36, 18, false, kSoft);  // 已筹 · 到账 / 目标
      y += 28;
      constexpr int kBar = 620;
      set_color(cr, {1, 1, 1, 0.18});
      rounded_rect(cr, 20, y, kBar, 14, 7);
      cairo_fill(cr);
      int pledged = bar_pixels(s.raised_fen, s.goal_fen, kBar);
      int settled = bar_pixels(std::min(s.settled_fen, s.raised_fen), s.goal_fen, kBar);
      if (pledged > 0) {
        set_color(cr, kPledged);
        rounded_rect(cr, 20, y, std::max(pledged, 14), 14, 7);
        cairo_fill(cr);
      }
      if (settled > 0) {
        set_color(cr, kRed);
        rounded_rect(cr, 20, y, std::max(settled, 14), 14, 7);
        cairo_fill(cr);
      }
      y += 30;
    }
    if (cert) {
      text(cr, escape_markup(s.certificate_line), 18, y, kW - 36, 15, false, kSoft);
    }
    out.push_back(finish(c));
  }

  void ticker(const OverlayState& s, std::vector<OverlayLayer>& out) {
    if (s.ticker.empty()) {
      return;
    }
    constexpr double kH = 46;
    Canvas c = canvas("ticker", 0, kDesignHeight - kH, frame_width / scale, kH);
    cairo_t* cr = c.cr.get();
    double w = frame_width / scale;
    set_color(cr, kPanel);
    cairo_rectangle(cr, 0, 0, w, kH);
    cairo_fill(cr);
    set_color(cr, kRed);
    cairo_rectangle(cr, 0, 0, 118, kH);
    cairo_fill(cr);
    text(cr, "<b>\xE7\x88\xB1\xE5\xBF\x83\xE6\xA6\x9C</b>", 14, 10, 100, 22, true,
         kWhite);  // 爱心榜
    std::string line;
    for (size_t i = 0; i < s.ticker.size() && i < kTickerEntries; ++i) {
      const TickerEntry& e = s.ticker[i];
      if (i > 0) {
        line += "     ";
      }
      line += "<b>" + escape_markup(e.name) + "</b> " + escape_markup(format_fen(e.amount_fen));
      if (!e.message.empty()) {
        line += " \xE3\x80\x8C" + escape_markup(e.message) + "\xE3\x80\x8D";
      }
    }
    text(cr, line, 134, 11, w - 150, 20, false, kWhite);
    out.push_back(finish(c));
  }

  void alert(const OverlayState& s, std::chrono::system_clock::time_point now,
             std::vector<OverlayLayer>& out) {
    if (!s.alert || s.alert->text.empty() || now >= s.alert->until) {
      return;
    }
    constexpr double kW = 760, kH = 76;
    double x = (frame_width / scale - kW) / 2;
    Canvas c = canvas("alert", x, 190, kW, kH);
    panel(c.cr.get(), kW, kH, kRed);
    text(c.cr.get(), "<b>" + escape_markup(s.alert->text) + "</b>", 20, 18, kW - 40, 32, true,
         kWhite, PANGO_ALIGN_CENTER);
    out.push_back(finish(c));
  }

  void lower_third(const OverlayState& s, std::vector<OverlayLayer>& out) {
    if (!s.lower_third || s.lower_third->name.empty()) {
      return;
    }
    constexpr double kW = 560, kH = 84;
    Canvas c = canvas("lower_third", 24, kDesignHeight - 46 - 20 - kH, kW, kH);
    cairo_t* cr = c.cr.get();
    panel(cr, kW, kH);
    set_color(cr, kRed);
    cairo_rectangle(cr, 0, 10, 8, kH - 20);
    cairo_fill(cr);
    text(cr, "<b>" + escape_markup(s.lower_third->name) + "</b>", 24, 8, kW - 40, 30, true, kWhite);
    text(cr, escape_markup(s.lower_third->role), 24, 48, kW - 40, 20, false, kSoft);
    out.push_back(finish(c));
  }

  void featured(const OverlayState& s, std::vector<OverlayLayer>& out) {
    if (!s.featured || s.featured->title.empty()) {
      return;
    }
    constexpr double kW = 380, kH = 140;
    Canvas c = canvas("featured", frame_width / scale - 24 - kW, 250, kW, kH);
    cairo_t* cr = c.cr.get();
    panel(cr, kW, kH);
    text(cr, "<b>" + escape_markup(s.featured->title) + "</b>", 18, 12, kW - 36, 26, true, kWhite);
    text(cr, escape_markup(s.featured->subtitle), 18, 52, kW - 36, 18, false, kSoft);
    if (s.featured->amount_fen) {
      text(cr, "<b>" + escape_markup(format_fen(*s.featured->amount_fen)) + "</b>", 18, 88, kW - 36,
           26, true, kPledged);
    }
    out.push_back(finish(c));
  }

  void qr(const OverlayState& s, std::vector<OverlayLayer>& out) {
    if (!s.qr_visible || s.qr_url.empty()) {
      return;
    }
    auto code = encode_qr(s.qr_url);
    if (!code) {
      return;
    }
    constexpr double kSide = 170, kCaption = 30;
    Canvas c = canvas("qr", frame_width / scale - 24 - kSide, 20, kSide, kSide + kCaption);
    cairo_t* cr = c.cr.get();
    set_color(cr, kWhite);
    rounded_rect(cr, 0, 0, kSide, kSide + kCaption, 8);
    cairo_fill(cr);
    // Four modules of quiet zone around the code.
    double module = kSide / (code->size + 8);
    cairo_set_source_rgb(cr, 0, 0, 0);
    for (int y = 0; y < code->size; ++y) {
      for (int x = 0; x < code->size; ++x) {
        if (code->at(x, y)) {
          cairo_rectangle(cr, (x + 4) * module, (y + 4) * module, module, module);
        }
      }
    }
    cairo_fill(cr);
    text(cr, "\xE6\x89\xAB\xE7\xA0\x81\xE5\x8F\x82\xE4\xB8\x8E Scan to give", 6, kSide - 4,
         kSide - 12, 15, false, {0, 0, 0, 1}, PANGO_ALIGN_CENTER);  // 扫码参与
    out.push_back(finish(c));
  }

  void slate(const OverlayState& s, std::vector<OverlayLayer>& out) {
    constexpr double kW = 900, kH = 260;
    double x = (frame_width / scale - kW) / 2;
    Canvas c = canvas("slate", x, (kDesignHeight - kH) / 2, kW, kH);
    cairo_t* cr = c.cr.get();
    panel(cr, kW, kH, {0.55, 0.04, 0.08, 0.95});
    text(cr, "<b>\xE7\xA8\x8D\xE5\x90\x8E\xE5\x9B\x9E\xE6\x9D\xA5</b>", 20, 30, kW - 40, 64, true,
         kWhite, PANGO_ALIGN_CENTER);  // 稍后回来
    text(cr, "Be right back", 20, 118, kW - 40, 30, false, kSoft, PANGO_ALIGN_CENTER);
    text(cr, escape_markup(s.campaign_title), 20, 180, kW - 40, 28, true, kWhite,
         PANGO_ALIGN_CENTER);
    out.push_back(finish(c));
  }
};

OverlayRenderer::OverlayRenderer(int frame_width, int frame_height)
    : impl_(std::make_unique<Impl>(frame_width, frame_height)) {}

OverlayRenderer::~OverlayRenderer() = default;

std::vector<OverlayLayer> OverlayRenderer::render(const OverlayState& state, bool slate,
                                                  std::chrono::system_clock::time_point now) {
  std::vector<OverlayLayer> out;
  impl_->title(state, out);
  impl_->qr(state, out);
  impl_->featured(state, out);
  impl_->lower_third(state, out);
  impl_->ticker(state, out);
  impl_->alert(state, now, out);
  if (slate) {
    impl_->slate(state, out);
  }
  return out;
}

}  // namespace boai::stream
