// Show: from room events to overlay snapshots, from host requests to studio calls.
#include "app/show.hpp"

#include <glib.h>

#include "donations/money.hpp"
#include "donations/text_rules.hpp"

namespace boai::app {

using nlohmann::json;

namespace {

constexpr std::size_t kTickerLength = 5;
constexpr auto kAlertFor = std::chrono::seconds(5);

std::string text_field(const json& body, const char* name, std::size_t max_chars) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null())
    return "";
  if (!it->is_string())
    throw std::invalid_argument(std::string("\"") + name + "\" must be text");
  auto text = donations::trim_text(it->get<std::string>());
  if (donations::char_count(text) > max_chars) {
    throw std::invalid_argument(std::string("\"") + name + "\" is too long");
  }
  return text;
}

}  // namespace

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
  if (!studio)
    return std::unexpected(studio.error());
  std::unique_ptr<Show> show(new Show(std::move(*studio), room_name, room));
  show->state_.certificate_line = certificate;
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
  room.on_room_event = [s](const web::RoomState& r, const web::StoredRoomEvent& e) {
    s->on_room_event(r, e);
  };
  room.on_totals = [s](const web::RoomState& r) { s->on_totals(r); };
  room.set_studio(s);
  room.open_room(room_name);
  show->publish();
  return show;
}

Show::Show(std::unique_ptr<stream::Studio> studio, std::string room, web::LiveRoom& live_room)
    : studio_(std::move(studio)), room_name_(std::move(room)), live_room_(live_room) {
  timer_ = std::make_unique<LoopTimer>(nullptr, std::chrono::seconds(1), [this] { tick(); });
}

Show::~Show() {
  live_room_.on_room_event = nullptr;
  live_room_.on_totals = nullptr;
  live_room_.set_studio(nullptr);
}

void Show::on_totals(const web::RoomState& room) {
  if (room.slug() != room_name_)
    return;
  state_.campaign_title = room.campaign.title;
  state_.goal_fen = room.totals.value("goal_fen", std::int64_t{0});
  state_.raised_fen = room.totals.value("pledged_fen", std::int64_t{0});
  state_.settled_fen = room.totals.value("received_fen", std::int64_t{0});
  publish();
}

void Show::on_room_event(const web::RoomState& room, const web::StoredRoomEvent& event) {
  if (room.slug() != room_name_ || event.type != "donation")
    return;
  auto body = json::parse(event.payload, nullptr, false);
  if (!body.is_object())
    return;
  stream::TickerEntry entry{body.value("display_name", std::string("爱心人士")),
                            body.value("amount_fen", std::int64_t{0}),
                            body.value("message", std::string())};
  state_.ticker.insert(state_.ticker.begin(), entry);
  if (state_.ticker.size() > kTickerLength)
    state_.ticker.resize(kTickerLength);
  std::string thanks = "感谢 " + entry.name + " 爱心捐赠 ";
  thanks += donations::Money::from_fen(entry.amount_fen).format();
  state_.alert = stream::Alert{thanks, std::chrono::system_clock::now() + kAlertFor};
  publish();
}

void Show::set_viewer_url(const std::string& url) {
  state_.qr_url = url;
  publish();
}

void Show::publish() {
  studio_->set_overlay(std::make_shared<const stream::OverlayState>(state_));
}

void Show::tick() {
  if (state_.alert && state_.alert->until <= std::chrono::system_clock::now()) {
    state_.alert.reset();
    publish();
  }
  live_room_.send_to_staff(room_name_, health_json(studio_->health()).dump());
}

std::expected<json, Error> Show::command(const std::string& type, const json& body) {
  auto ok = [] { return std::expected<json, Error>(json::object()); };
  auto fail = [](const Error& e) { return std::expected<json, Error>(std::unexpect, e); };
  if (type == "studio.go_live") {
    auto r = studio_->go_live();
    return r ? ok() : fail(r.error());
  }
  if (type == "studio.stop") {
    studio_->stop();
    return ok();
  }
  if (type == "studio.scene") {
    auto scene = stream::parse_scene(text_field(body, "scene", 16));
    if (!scene)
      return fail(make_error("bad_request", "a scene is camera, slides or slate"));
    studio_->switch_scene(*scene);
    return ok();
  }
  if (type == "studio.slide") {
    auto step = body.value("step", 1);
    auto r = step < 0 ? studio_->previous_slide() : studio_->next_slide();
    if (!r)
      return fail(r.error());
    return json{{"index", studio_->slide_index()}, {"count", studio_->slide_count()}};
  }
  if (type == "studio.lower_third") {
    auto name = text_field(body, "name", 40);
    if (name.empty()) {
      state_.lower_third.reset();
    } else {
      state_.lower_third = stream::LowerThird{name, text_field(body, "role", 60)};
    }
    publish();
    return ok();
  }
  if (type == "studio.feature") {
    auto title = text_field(body, "title", 60);
    if (title.empty()) {
      state_.featured.reset();
    } else {
      stream::FeaturedCard card{title, text_field(body, "subtitle", 120), std::nullopt};
      if (auto a = body.find("amount_fen"); a != body.end() && !a->is_null()) {
        if (!a->is_number_integer() || a->get<std::int64_t>() < 0) {
          return fail(make_error("bad_request", "\"amount_fen\" is a whole number of fen"));
        }
        card.amount_fen = a->get<std::int64_t>();
      }
      state_.featured = card;
    }
    publish();
    return ok();
  }
  if (type == "studio.qr") {
    state_.qr_visible = body.value("visible", true);
    publish();
    return ok();
  }
  if (type == "studio.source") {
    auto r = studio_->switch_source(text_field(body, "source", 500));
    return r ? ok() : fail(r.error());
  }
  if (type == "studio.push_add") {
    auto id = studio_->add_push_target(text_field(body, "url", 1000));
    if (!id)
      return fail(id.error());
    return json{{"id", *id}};
  }
  if (type == "studio.push_remove") {
    auto r = studio_->remove_push_target(text_field(body, "id", 64));
    return r ? ok() : fail(r.error());
  }
  return fail(make_error("unknown_type", "unknown type \"" + type.substr(0, 40) + "\""));
}

}  // namespace boai::app
