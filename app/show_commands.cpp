// Show::command: the hosts' studio.* requests. Broadcast commands go to the studio; overlay
// commands change the working overlay and publish it. A bad field is an Error, never a throw.
#include "app/replay_keeper.hpp"
#include "app/show.hpp"
#include "donations/money.hpp"
#include "donations/text_rules.hpp"

namespace boai::app {

using nlohmann::json;
using Answer = std::expected<json, Error>;

namespace {

// An optional text field, trimmed: "" when absent or null.
std::expected<std::string, Error> text_field(const json& body, const char* name,
                                             std::size_t max_chars) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) {
    return "";
  }
  if (!it->is_string()) {
    return std::unexpected(make_error("bad_request", std::string("\"") + name + "\" must be text"));
  }
  auto text = donations::trim_text(it->get<std::string>());
  if (donations::char_count(text) > max_chars) {
    return std::unexpected(make_error("bad_request", std::string("\"") + name + "\" is too long"));
  }
  return text;
}

Answer done() {
  return json::object();
}

Answer done_if(const std::expected<void, Error>& result) {
  return result ? done() : std::unexpected(result.error());
}

std::expected<stream::FeaturedCard, Error> featured_card(const std::string& title,
                                                         const json& body) {
  auto subtitle = text_field(body, "subtitle", 120);
  if (!subtitle) {
    return std::unexpected(subtitle.error());
  }
  stream::FeaturedCard card{title, *subtitle, std::nullopt, std::nullopt};
  if (auto a = body.find("amount_fen"); a != body.end() && !a->is_null()) {
    if (!a->is_number_integer() || a->get<std::int64_t>() < 0) {
      return std::unexpected(make_error("bad_request", "\"amount_fen\" is a whole number of fen"));
    }
    card.amount_text = donations::Money::from_fen(a->get<std::int64_t>()).format();
  }
  return card;
}

}  // namespace

Answer Show::command(const std::string& type, const json& body) {
  if (type == "studio.lower_third" || type == "studio.feature" || type == "studio.qr") {
    return overlay_command(type, body);
  }
  return broadcast_command(type, body);
}

Answer Show::broadcast_command(const std::string& type, const json& body) {
  if (type == "studio.go_live") {
    return done_if(studio_->go_live());
  }
  if (type == "studio.stop") {
    studio_->stop();
    if (stopped_) {
      stopped_();
    }
    return done();
  }
  if (type == "studio.scene") {
    auto name = text_field(body, "scene", 16);
    auto scene = name ? stream::parse_scene(*name) : std::nullopt;
    if (!scene) {
      return std::unexpected(make_error("bad_request", "a scene is camera, slides or slate"));
    }
    studio_->switch_scene(*scene);
    return done();
  }
  if (type == "studio.slide") {
    auto step = body.value("step", 1);
    auto moved = step < 0 ? studio_->previous_slide() : studio_->next_slide();
    if (!moved) {
      return std::unexpected(moved.error());
    }
    return json{{"index", studio_->slide_index()}, {"count", studio_->slide_count()}};
  }
  if (type == "studio.source") {
    auto source = text_field(body, "source", 500);
    return source ? done_if(studio_->switch_source(*source)) : std::unexpected(source.error());
  }
  if (type == "studio.chapter") {
    return chapter_command(body);
  }
  if (type == "studio.push_add") {
    auto url = text_field(body, "url", 1000);
    auto id = url ? studio_->add_push_target(*url) : std::unexpected(url.error());
    return id ? Answer(json{{"id", *id}}) : std::unexpected(id.error());
  }
  if (type == "studio.push_remove") {
    auto id = text_field(body, "id", 64);
    return id ? done_if(studio_->remove_push_target(*id)) : std::unexpected(id.error());
  }
  return std::unexpected(make_error("unknown_type", "unknown type \"" + type.substr(0, 40) + "\""));
}

// A chapter mark at this moment of the replay being recorded, shown with the replay as a list
// that seeks the player.
Answer Show::chapter_command(const json& body) {
  auto title = text_field(body, "title", 60);
  if (!title) {
    return std::unexpected(title.error());
  }
  if (title->empty()) {
    return std::unexpected(make_error("bad_request", "a chapter needs a \"title\""));
  }
  follow_replay();
  auto at = studio_->recording_position();
  if (!at || replays_ == nullptr || replay_name_.empty()) {
    return std::unexpected(make_error("not_recording", "no replay is being recorded now"));
  }
  replays_->add_chapter(replay_name_, *at, *title);
  return json{{"replay", replay_name_}, {"at_seconds", *at}, {"title", *title}};
}

Answer Show::overlay_command(const std::string& type, const json& body) {
  if (type == "studio.lower_third") {
    auto name = text_field(body, "name", 40);
    auto role = text_field(body, "role", 60);
    if (!name || !role) {
      return std::unexpected(!name ? name.error() : role.error());
    }
    if (name->empty()) {
      state_.lower_third.reset();
    } else {
      state_.lower_third = stream::LowerThird{*name, *role};
    }
  } else if (type == "studio.feature") {
    featured_wish_ = 0;  // a card of the host's own words replaces a featured wish
    auto title = text_field(body, "title", 60);
    if (!title) {
      return std::unexpected(title.error());
    }
    if (title->empty()) {
      state_.featured.reset();
    } else {
      auto card = featured_card(*title, body);
      if (!card) {
        return std::unexpected(card.error());
      }
      state_.featured = *card;
    }
  } else {  // studio.qr
    state_.qr_visible = body.value("visible", true);
  }
  publish();
  return done();
}

}  // namespace boai::app
