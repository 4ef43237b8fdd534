// cairo + Pango drawing of the overlay, laid out to be read on a 375-pixel-wide phone: no text
// under 34 design pixels (CJK glyphs about 31 px tall at 720p), everything along the edges so the
// picture's middle stays clear. All text from outside is escaped before it becomes markup, and
// every line is ellipsized inside its box, so no input can spill over the picture.
#include "stream/overlay_renderer.hpp"

#include <algorithm>

#include "stream/markup.hpp"
#include "stream/overlay_canvas.hpp"
#include "stream/qr_code.hpp"

namespace boai::stream {

using namespace overlay;

namespace {

// Sizes in design pixels (a 720-row frame). Text: 34 px at least (Chinese glyphs about 31 px
// tall), so a phone that shows the 1280-pixel frame 375 CSS pixels wide still draws them about
// 9 CSS pixels high.
constexpr TextStyle kBody{34};
constexpr TextStyle kBodyBold{34, true};
constexpr TextStyle kHeading{38, true};
constexpr double kBodyLine = 44;     // a kBody line's box (its logical height is 41)
constexpr double kHeadingLine = 48;  // a kHeading line's box (46)
constexpr double kMargin = 20;       // between the panels and the frame's edges
constexpr double kPad = 16;          // inside a panel, left and right
constexpr double kPadY = 10;         // inside a panel, above and below
constexpr double kGap = 12;          // between panels

constexpr double kTickerHeight = 52;
constexpr double kTickerLabel = 150;  // the red 爱心榜 box at the ticker's left
constexpr double kBarHeight = 24;
constexpr double kGoalHeight = kPadY + kBodyLine + 6 + kBarHeight + kPadY;
constexpr double kGoalTop = kDesignHeight - kTickerHeight - 6 - kGoalHeight;
constexpr double kCornerBottom = kGoalTop - 10;  // where the lower third and the card end
constexpr double kAlertTop = 136;                // below the title panel
constexpr double kAlertWidth = 820;
constexpr double kAlertHeight = 76;
constexpr double kTitleMaxWidth = 760;
constexpr double kLowerThirdMaxWidth = 640;
constexpr double kCardWidth = 560;
constexpr double kQrSide = 148;
constexpr size_t kTickerEntries = 4;

// 已筹, 到账, 目标, 还差, 已筹满, 爱心榜, 扫码参与, 稍后回来, 已到账
constexpr const char* kRaised = "\xE5\xB7\xB2\xE7\xAD\xB9 ";
constexpr const char* kSettled = "\xE5\x88\xB0\xE8\xB4\xA6 ";
constexpr const char* kGoal = "\xE7\x9B\xAE\xE6\xA0\x87 ";
constexpr const char* kLeft = "\xE8\xBF\x98\xE5\xB7\xAE ";
constexpr const char* kFull = "\xE5\xB7\xB2\xE7\xAD\xB9\xE6\xBB\xA1";
constexpr const char* kTickerTitle = "\xE7\x88\xB1\xE5\xBF\x83\xE6\xA6\x9C";
constexpr const char* kScanToGive = "\xE6\x89\xAB\xE7\xA0\x81\xE5\x8F\x82\xE4\xB8\x8E";
constexpr const char* kBeRightBack = "\xE7\xA8\x8D\xE5\x90\x8E\xE5\x9B\x9E\xE6\x9D\xA5";
constexpr const char* kPaidMark = "\xE5\xB7\xB2\xE5\x88\xB0\xE8\xB4\xA6";
constexpr const char* kPaidGreen = "#8BE38B";  // a paid gift's mark on the dark ticker

std::string bold(const std::string& text) {
  return "<b>" + escape_markup(text) + "</b>";
}

}  // namespace

struct OverlayRenderer::Impl {
  int frame_width;
  int frame_height;
  double scale;
  double width;  // the frame's width in design pixels
  CHandle<PangoFontMap, g_object_unref> font_map;
  CHandle<PangoContext, g_object_unref> context;

  Impl(int w, int h)
      : frame_width(w),
        frame_height(h),
        scale(static_cast<double>(h) / kDesignHeight),
        width(w / scale),
        font_map(pango_cairo_font_map_new()),
        context(pango_font_map_create_context(font_map.get())) {
    // Every canvas draws at this scale: lay text out for it once, so lines can be measured
    // before their canvas exists.
    CHandle<cairo_surface_t, cairo_surface_destroy> scratch(
        cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1));
    CHandle<cairo_t, cairo_destroy> cr(cairo_create(scratch.get()));
    cairo_scale(cr.get(), scale, scale);
    pango_cairo_update_context(cr.get(), context.get());
  }

  TextLine line(const std::string& markup, TextStyle style, double max_width) const {
    return TextLine(context.get(), markup, style, max_width);
  }

  Canvas canvas(const char* name, double x, double y, double w, double h) const {
    return Canvas(name, x, y, w, h, scale, frame_width, frame_height);
  }

  // Top left: the campaign's title and the station's certificate, in a panel that fits them.
  void title(const OverlayState& s, std::vector<OverlayLayer>& out) const {
    if (s.campaign_title.empty() && s.certificate_line.empty()) {
      return;
    }
    double text_width = kTitleMaxWidth - 2 * kPad;
    TextLine name = line(bold(s.campaign_title), kHeading, text_width);
    TextLine cert = line(escape_markup(s.certificate_line), kBody, text_width);
    bool has_name = !s.campaign_title.empty(), has_cert = !s.certificate_line.empty();
    double w = std::max(has_name ? name.width() : 0, has_cert ? cert.width() : 0) + 2 * kPad;
    double h = 2 * kPadY + (has_name ? kHeadingLine : 0) + (has_cert ? kBodyLine : 0);
    Canvas c = canvas("title", kMargin, 16, w, h);
    fill_panel(c.cr(), w, h);
    double y = kPadY;
    if (has_name) {
      name.draw(c.cr(), kPad, y, kWhite);
      y += kHeadingLine;
    }
    if (has_cert) {
      cert.draw(c.cr(), kPad, y, kSoft);
    }
    out.push_back(c.finish());
  }

  // Along the bottom, above the ticker: what is raised and settled of the goal, and the bar.
  void goal(const OverlayState& s, std::vector<OverlayLayer>& out) const {
    if (s.goal_fen <= 0) {
      return;
    }
    double w = width - 2 * kMargin;
    double inner = w - 2 * kPad;
    Canvas c = canvas("goal", kMargin, kGoalTop, w, kGoalHeight);
    cairo_t* cr = c.cr();
    fill_panel(cr, w, kGoalHeight);
    TextLine target = line(kGoal + bold(s.goal_text), kBody, inner);
    TextLine raised = line(
        kRaised + bold(s.raised_text) + "  \xC2\xB7  " + kSettled + escape_markup(s.settled_text),
        kBody, std::max(inner - target.width() - kPad, 1.0));
    raised.draw(cr, kPad, kPadY, kWhite);
    target.draw(cr, kPad + inner - target.width(), kPadY, kSoft);
    double bar_y = kPadY + kBodyLine + 6;
    int bar = static_cast<int>(inner);
    fill_bar_track(cr, kPad, bar_y, bar, kBarHeight);
    fill_bar_part(cr, kPad, bar_y, bar, kBarHeight, s.raised_fen, s.goal_fen, kPledged);
    fill_bar_part(cr, kPad, bar_y, bar, kBarHeight, std::min(s.settled_fen, s.raised_fen),
                  s.goal_fen, kRed);
    out.push_back(c.finish());
  }

  // The bottom edge: one line of the newest gifts after a red 爱心榜 label.
  void ticker(const OverlayState& s, std::vector<OverlayLayer>& out) const {
    if (s.ticker.empty()) {
      return;
    }
    Canvas c = canvas("ticker", 0, kDesignHeight - kTickerHeight, width, kTickerHeight);
    cairo_t* cr = c.cr();
    set_color(cr, kPanel);
    cairo_rectangle(cr, 0, 0, width, kTickerHeight);
    cairo_fill(cr);
    set_color(cr, kRed);
    cairo_rectangle(cr, 0, 0, kTickerLabel, kTickerHeight);
    cairo_fill(cr);
    double text_y = (kTickerHeight - kBodyLine) / 2 + 1;
    TextLine label = line(std::string("<b>") + kTickerTitle + "</b>",
                          {kBody.size, true, PANGO_ALIGN_CENTER}, kTickerLabel);
    label.draw(cr, 0, text_y, kWhite);
    std::string entries;
    for (size_t i = 0; i < s.ticker.size() && i < kTickerEntries; ++i) {
      const TickerEntry& e = s.ticker[i];
      if (i > 0) {
        entries += "     ";
      }
      entries += bold(e.name) + " " + escape_markup(e.amount_text);
      if (e.paid) {
        entries += std::string(" <span foreground=\"") + kPaidGreen + "\">" + kPaidMark + "</span>";
      }
      if (!e.message.empty()) {
        entries += " \xE3\x80\x8C" + escape_markup(e.message) + "\xE3\x80\x8D";  // 「」
      }
    }
    double x = kTickerLabel + kPad;
    line(entries, kBody, width - x - kPad).draw(cr, x, text_y, kWhite);
    out.push_back(c.finish());
  }

  void alert(const OverlayState& s, std::chrono::system_clock::time_point now,
             std::vector<OverlayLayer>& out) const {
    if (!s.alert || s.alert->text.empty() || now >= s.alert->until) {
      return;
    }
    Canvas c = canvas("alert", (width - kAlertWidth) / 2, kAlertTop, kAlertWidth, kAlertHeight);
    fill_panel(c.cr(), kAlertWidth, kAlertHeight, kRed);
    line(bold(s.alert->text), {40, true, PANGO_ALIGN_CENTER}, kAlertWidth - 2 * kPad)
        .draw(c.cr(), kPad, (kAlertHeight - 48) / 2, kWhite);
    out.push_back(c.finish());
  }

  // Bottom left, above the goal: who is speaking and what they do.
  void lower_third(const OverlayState& s, std::vector<OverlayLayer>& out) const {
    if (!s.lower_third || s.lower_third->name.empty()) {
      return;
    }
    constexpr double kAccent = 8, kTextX = kAccent + kPad;
    double text_width = kLowerThirdMaxWidth - kTextX - kPad;
    TextLine name = line(bold(s.lower_third->name), kHeading, text_width);
    TextLine role = line(escape_markup(s.lower_third->role), kBody, text_width);
    bool has_role = !s.lower_third->role.empty();
    double w = std::max(name.width(), has_role ? role.width() : 0) + kTextX + kPad;
    double h = 2 * kPadY + kHeadingLine + (has_role ? kBodyLine : 0);
    Canvas c = canvas("lower_third", kMargin, kCornerBottom - h, w, h);
    cairo_t* cr = c.cr();
    fill_panel(cr, w, h);
    set_color(cr, kRed);
    cairo_rectangle(cr, 0, kPadY, kAccent, h - 2 * kPadY);
    cairo_fill(cr);
    name.draw(cr, kTextX, kPadY, kWhite);
    if (has_role) {
      role.draw(cr, kTextX, kPadY + kHeadingLine, kSoft);
    }
    out.push_back(c.finish());
  }

  void featured(const OverlayState& s, std::vector<OverlayLayer>& out) const;

  // Top right: the viewer page's address, with its caption.
  void qr(const OverlayState& s, std::vector<OverlayLayer>& out) const {
    if (!s.qr_visible || s.qr_url.empty()) {
      return;
    }
    auto code = encode_qr(s.qr_url);
    if (!code) {
      return;
    }
    double h = kQrSide + kBodyLine + 4;
    Canvas c = canvas("qr", width - kMargin - kQrSide, 16, kQrSide, h);
    cairo_t* cr = c.cr();
    fill_panel(cr, kQrSide, h, kWhite);
    // Four modules of quiet zone around the code.
    double module = kQrSide / (code->size + 8);
    set_color(cr, kInk);
    for (int y = 0; y < code->size; ++y) {
      for (int x = 0; x < code->size; ++x) {
        if (code->at(x, y)) {
          cairo_rectangle(cr, (x + 4) * module, (y + 4) * module, module, module);
        }
      }
    }
    cairo_fill(cr);
    line(kScanToGive, {kBody.size, false, PANGO_ALIGN_CENTER}, kQrSide)
        .draw(cr, 0, kQrSide - 2, kInk);
    out.push_back(c.finish());
  }

  // The be-right-back card, between the alert and the corners' panels.
  void slate(const OverlayState& s, std::vector<OverlayLayer>& out) const {
    constexpr double kW = 900, kTop = kAlertTop + kAlertHeight + 6, kBig = 68;
    constexpr double kH = 6 + kBig + kBodyLine + 6;
    Canvas c = canvas("slate", (width - kW) / 2, kTop, kW, kH);
    cairo_t* cr = c.cr();
    fill_panel(cr, kW, kH, {0.55, 0.04, 0.08, 0.95});
    double text_width = kW - 2 * kPad;
    line(std::string("<b>") + kBeRightBack + "</b>", {56, true, PANGO_ALIGN_CENTER}, text_width)
        .draw(cr, kPad, 6, kWhite);
    std::string second = "Be right back";
    if (!s.campaign_title.empty()) {
      second += "  \xC2\xB7  " + bold(s.campaign_title);
    }
    line(second, {kBody.size, false, PANGO_ALIGN_CENTER}, text_width)
        .draw(cr, kPad, 6 + kBig, kSoft);
    out.push_back(c.finish());
  }
};

// Bottom right, above the goal: a wish or an item. Its title, subtitle and price, and for a
// wish a bar of its gifts with what is raised and what is left under it.
void OverlayRenderer::Impl::featured(const OverlayState& s, std::vector<OverlayLayer>& out) const {
  if (!s.featured || s.featured->title.empty()) {
    return;
  }
  const FeaturedCard& card = *s.featured;
  constexpr double kInner = kCardWidth - 2 * kPad;
  bool has_subtitle = !card.subtitle.empty();
  double h = 2 * kPadY + kHeadingLine + (has_subtitle ? kBodyLine : 0) +
             (card.amount_text ? kBodyLine : 0) + (card.progress ? 8 + kBarHeight + kBodyLine : 0);
  Canvas c = canvas("featured", width - kMargin - kCardWidth, kCornerBottom - h, kCardWidth, h);
  cairo_t* cr = c.cr();
  fill_panel(cr, kCardWidth, h);
  double y = kPadY;
  line(bold(card.title), kHeading, kInner).draw(cr, kPad, y, kWhite);
  y += kHeadingLine;
  if (has_subtitle) {
    line(escape_markup(card.subtitle), kBody, kInner).draw(cr, kPad, y, kSoft);
    y += kBodyLine;
  }
  if (card.amount_text) {
    line(bold(*card.amount_text), kBodyBold, kInner).draw(cr, kPad, y, kWhite);
    y += kBodyLine;
  }
  if (card.progress) {
    const CardProgress& p = *card.progress;
    y += 4;
    fill_bar_track(cr, kPad, y, static_cast<int>(kInner), kBarHeight);
    fill_bar_part(cr, kPad, y, static_cast<int>(kInner), kBarHeight, p.raised_fen, p.goal_fen,
                  kRed);
    y += kBarHeight + 4;
    double half = (kInner - kPad) / 2;
    line(kRaised + bold(p.raised_text), kBody, half).draw(cr, kPad, y, kWhite);
    bool full = p.goal_fen > 0 && p.raised_fen >= p.goal_fen;
    std::string left = full ? std::string(kFull) : kLeft + escape_markup(p.left_text);
    line(left, {kBody.size, false, PANGO_ALIGN_RIGHT}, half)
        .draw(cr, kPad + kInner - half, y, kSoft);
  }
  out.push_back(c.finish());
}

OverlayRenderer::OverlayRenderer(int frame_width, int frame_height)
    : impl_(std::make_unique<Impl>(frame_width, frame_height)) {}

OverlayRenderer::~OverlayRenderer() = default;

std::vector<OverlayLayer> OverlayRenderer::render(const OverlayState& state, bool slate,
                                                  std::chrono::system_clock::time_point now) {
  std::vector<OverlayLayer> out;
  impl_->title(state, out);
  impl_->qr(state, out);
  impl_->goal(state, out);
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
