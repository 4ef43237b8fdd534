// Show: from room events to overlay snapshots, from host requests to studio calls.
#include "app/show.hpp"

#include <glib.h>

#include <filesystem>

#include "app/replay_keeper.hpp"
#include "donations/money.hpp"
#include "donations/text_rules.hpp"

namespace boai::app {

using nlohmann::json;

json health_json(const stream::StudioHealth& h) {
  json renditions = json::array(), inputs = json::array(), outputs = json::array();
  for (const auto& r : h.renditions) {
    renditions.push_back(
        {{"name", r.name}, {"bitrate_bps", r.bitrate_bps}, {"queue", r.queue_buffers}});
  }
  for (const auto& i : h.inputs) {
    inputs.push_back({{"name", i.name},
                      {"source", i.source},
                      {"state", i.state},
                      {"last_error", i.last_error},
                      {"frames", i.frames}});
  }
  for (const auto& o : h.outputs) {
    outputs.push_back({{"id", o.id},
                       {"kind", o.kind},
                       {"target", o.target},
                       {"state", o.state},
                       {"last_error", o.last_error},
                       {"retries", o.retries},
                       {"bytes", o.bytes}});
  }
  return {{"type", "studio.health"},
          {"live", h.live},
          {"scene", stream::scene_name(h.scene)},
          {"on_air", stream::scene_name(h.on_air)},
          {"fps", h.fps},
          {"frames", h.frames},
          {"dropped_frames", h.dropped_frames},
          {"renditions", renditions},
          {"inputs", inputs},
          {"outputs", outputs},
          {"last_error", h.last_error}};
}

std::expected<std::unique_ptr<Show>, Error> Show::start(stream::StudioConfig config,
                                                        web::LiveRoom& room,
                                                        web::Metrics& metrics) {
  std::string room_name = config.room;
  auto* live_room = &room;
  std::string certificate = config.certificate_line, viewer_url = config.viewer_url;
  auto studio = stream::Studio::create(
      std::move(config), [live_room, room_name](const stream::StudioEvent& e) {
        static constexpr const char* kKinds[] = {"input_up",  "input_lost",    "scene_changed",
                                                 "output_up", "output_failed", "stopped",
                                                 "error"};
        json frame = {{"type", "studio.event"},
                      {"kind", kKinds[static_cast<int>(e.kind)]},
                      {"subject", e.subject},
                      {"code", e.code},
                      {"message", e.message}};
        live_room->send_to_staff(room_name, frame.dump());
      });
  if (!studio) {
    return std::unexpected(studio.error());
  }
  std::unique_ptr<Show> show(new Show(std::move(*studio), room_name, room));
  show->state_.certificate_line = certificate;
  show->viewer_url_ = viewer_url;
  show->state_.qr_url = viewer_url;
  auto* s = show.get();
  metrics.gauge("boai_studio_live", "1 while the studio broadcasts",
                [s] { return s->studio_->live() ? 1.0 : 0.0; });
  metrics.gauge("boai_studio_fps", "frames composed per second",
                [s] { return s->studio_->health().fps; });
  metrics.gauge("boai_studio_frames", "frames composed since going live",
                [s] { return static_cast<double>(s->studio_->health().frames); });
  metrics.gauge("boai_studio_dropped_frames", "frames a full encoder queue dropped",
                [s] { return static_cast<double>(s->studio_->health().dropped_frames); });
  room.attach_show(*s, *s);
  room.open_room(room_name);
  show->publish();
  return show;
}

Show::Show(std::unique_ptr<stream::Studio> studio, std::string room, web::LiveRoom& live_room)
    : studio_(std::move(studio)), room_name_(std::move(room)), live_room_(live_room) {
  timer_ = std::make_unique<LoopTimer>(nullptr, std::chrono::seconds(1), [this] { tick(); });
}

Show::~Show() {
  live_room_.detach_show(*this);
}

void Show::on_totals(const web::RoomState& room) {
  if (room.slug() != room_name_) {
    return;
  }
  const auto& t = room.totals;
  state_.campaign_title = room.campaign.title;
  state_.goal_fen = room.campaign.goal.fen();
  state_.raised_fen = t.shown_pledged().fen();
  state_.settled_fen = t.net_received().fen();
  state_.goal_text = room.campaign.goal.format();
  state_.raised_text = t.shown_pledged().format();
  state_.settled_text = t.net_received().format();
  publish();
}

void Show::on_donation(const web::RoomState& room, const web::RoomDonation& donation) {
  if (room.slug() != room_name_) {
    return;
  }
  thanks_.donation(donation, ShowThanks::Clock::now());
  publish();
}

void Show::on_donation_hidden(const web::RoomState& room, std::int64_t pledge) {
  if (room.slug() == room_name_ && thanks_.hidden(pledge)) {
    publish();
  }
}

// Money that arrived for a gift (not a sale: its card counts the stock).
void Show::on_payment(const web::RoomState& room, const web::RoomDonation& payment) {
  if (room.slug() != room_name_ || payment.kind == "sale") {
    return;
  }
  thanks_.payment(payment, ShowThanks::Clock::now());
  publish();
}

// A featured wish's card: its title and target, and a bar of what its gifts raised of it with
// what is left.
void Show::on_wish(const web::RoomState& room, const web::RoomWish& wish, bool featured) {
  if (room.slug() != room_name_ || (!featured && wish.id != featured_wish_)) {
    return;
  }
  featured_wish_ = wish.id;
  featured_sale_ = 0;  // one card: the wish takes the place of a sale item
  point_qr_code();
  if (wish.id == 0) {
    state_.featured.reset();
  } else {
    std::int64_t raised = wish.pledged.fen(), goal = wish.amount.fen();
    auto left = donations::Money::from_fen(raised >= goal ? 0 : goal - raised);
    stream::CardProgress progress{raised, goal, wish.pledged.format(), left.format()};
    state_.featured = stream::FeaturedCard{wish.title, "红心愿 · 目标 " + wish.amount.format(),
                                           std::nullopt, progress};
  }
  publish();
}

// A featured sale item's card: its title, price and what is left, updated as it sells.
void Show::on_sale(const web::RoomState& room, const web::RoomSale& item, bool featured) {
  if (room.slug() != room_name_ || (!featured && item.id != featured_sale_)) {
    return;
  }
  featured_sale_ = item.id;
  featured_wish_ = 0;
  point_qr_code();
  if (item.id == 0) {
    state_.featured.reset();
  } else {
    std::string left =
        item.available > 0 ? "剩 " + std::to_string(item.available) + " 件" : "已售罄";
    std::string donor = item.donated_by.empty() ? "" : " · " + item.donated_by + " 捐";
    state_.featured =
        stream::FeaturedCard{item.title, "爱心特卖 · " + left + donor, item.price.format(), {}};
  }
  publish();
}

void Show::set_viewer_url(const std::string& url) {
  viewer_url_ = url;
  point_qr_code();
  publish();
}

// A phone that scans the video while a wish or an item is on the card lands on its form (inside
// WeChat or Alipay, paying in one tap from there).
void Show::point_qr_code() {
  std::string sep = viewer_url_.find('?') == std::string::npos ? "?" : "&";
  if (featured_wish_ != 0) {
    state_.qr_url = viewer_url_ + sep + "wish=" + std::to_string(featured_wish_);
  } else if (featured_sale_ != 0) {
    state_.qr_url = viewer_url_ + sep + "sale=" + std::to_string(featured_sale_);
  } else {
    state_.qr_url = viewer_url_;
  }
}

void Show::publish() {
  studio_->set_overlay(std::make_shared<const stream::OverlayState>(state_));
}

void Show::tick() {
  if (thanks_.expire(ShowThanks::Clock::now())) {
    publish();
  }
  follow_replay();
  json health = health_json(studio_->health());
  if (replays_ != nullptr) {
    auto use = replays_->use();
    health["library"] = {{"used_bytes", use.used_bytes},
                         {"free_bytes", use.free_bytes},
                         {"max_bytes", replays_->budget().max_bytes}};
  }
  live_room_.send_to_staff(room_name_, health.dump());
}

// Whichever way the broadcast began (a host, --go-live) or ended (a host, a failure), the tick
// sees the replay's folder change.
void Show::follow_replay() {
  if (replays_ == nullptr) {
    return;
  }
  std::string now = studio_->recording_position() && studio_->live()
                        ? std::filesystem::path(studio_->recording_path()).filename().string()
                        : "";
  if (now == replay_name_) {
    return;
  }
  if (!replay_name_.empty()) {
    replays_->broadcast_ended(replay_name_);
  }
  replay_name_ = now;
  if (!now.empty()) {
    replays_->broadcast_started(now, state_.campaign_title);
  }
}

}  // namespace boai::app
