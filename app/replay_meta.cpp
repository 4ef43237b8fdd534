// replay.json read and written.
#include "app/replay_meta.hpp"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>

#include "stream/hls_playlist.hpp"

namespace boai::app {

using nlohmann::json;

namespace {

// A hand-edited file with a wrong type reads as the default, never as an exception.
std::string meta_text(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

bool meta_flag(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_boolean() && it->get<bool>();
}

}  // namespace

ReplayMeta read_replay_meta(const std::string& replay_dir) {
  ReplayMeta meta;
  std::ifstream in(replay_dir + "/replay.json");
  if (!in) {
    return meta;
  }
  json j = json::parse(in, nullptr, false);
  if (!j.is_object()) {
    return meta;
  }
  meta.title = meta_text(j, "title");
  meta.hidden = meta_flag(j, "hidden");
  meta.pinned = meta_flag(j, "pinned");
  if (auto c = j.find("chapters"); c != j.end() && c->is_array()) {
    for (const auto& mark : *c) {
      auto at = mark.is_object() ? mark.find("at_seconds") : mark.end();
      if (at != mark.end() && at->is_number()) {
        meta.chapters.push_back({at->get<double>(), meta_text(mark, "title")});
      }
    }
  }
  std::stable_sort(meta.chapters.begin(), meta.chapters.end(),
                   [](const auto& a, const auto& b) { return a.at_seconds < b.at_seconds; });
  return meta;
}

bool write_replay_meta(const std::string& replay_dir, const ReplayMeta& meta) {
  json chapters = json::array();
  for (const auto& c : meta.chapters) {
    chapters.push_back({{"at_seconds", c.at_seconds}, {"title", c.title}});
  }
  json j = {{"title", meta.title},
            {"hidden", meta.hidden},
            {"pinned", meta.pinned},
            {"chapters", std::move(chapters)}};
  return stream::replace_file(replay_dir + "/replay.json", j.dump(2) + "\n");
}

}  // namespace boai::app
