// Blocking playlist reloads: a request the live edge cannot answer yet waits in a list on the
// loop; each change of the edge (a part closed on a streaming thread) wakes the loop once, which
// answers every waiter whose wait is over. No thread is held.
#include "app/low_latency_routes.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <optional>
#include <string_view>

#include "app/route_support.hpp"
#include "base/loop_timer.hpp"
#include "base/on_loop.hpp"
#include "web/file_cache.hpp"
#include "web/query_params.hpp"

namespace boai::app {
namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kPlaylistType = "application/vnd.apple.mpegurl";
// An answer to _HLS_msn/_HLS_part stays a right answer to that URL while the segment is listed.
constexpr const char* kBlockedCache = "public, max-age=3";

// What one request asked for: a rendition's playlist, or one of its parts.
struct Asked {
  std::string rendition;
  std::int64_t msn = 0;
  std::optional<int> part;
  std::string part_file;  // empty: the playlist
  bool blocking = false;  // the playlist was asked for with _HLS_msn
};

struct Waiter {
  Asked asked;
  web::HttpResponder respond;
  Clock::time_point deadline;
};

// "segment00012.part2.ts" -> {12, 2}; "segment00012.ts" -> {12, nullopt}; else nullopt.
struct MediaName {
  std::int64_t msn;
  std::optional<int> part;
};
std::optional<MediaName> media_name(std::string_view name) {
  constexpr std::string_view kHead = "segment", kTail = ".ts", kPart = ".part";
  if (!name.starts_with(kHead) || !name.ends_with(kTail)) {
    return std::nullopt;
  }
  std::string_view middle = name.substr(kHead.size(), name.size() - kHead.size() - kTail.size());
  std::string_view number = middle.substr(0, middle.find('.'));
  auto msn = web::parse_bounded(number, 999'999'999);
  if (!msn) {
    return std::nullopt;
  }
  if (number.size() == middle.size()) {
    return MediaName{*msn, std::nullopt};
  }
  std::string_view rest = middle.substr(number.size());
  if (!rest.starts_with(kPart)) {
    return std::nullopt;
  }
  auto part = web::parse_bounded(rest.substr(kPart.size()), 9999);
  if (!part) {
    return std::nullopt;
  }
  return MediaName{*msn, static_cast<int>(*part)};
}

web::HttpResponse file_response(const std::string& path, const char* type,
                                std::string_view cache_control) {
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  if (ec) {
    return error_response(404, "not_found", "That file is not (or no longer) there.");
  }
  web::HttpResponse r{200, type, "", {{"Cache-Control", std::string(cache_control)}}};
  r.file = path;
  r.file_length = size;
  return r;
}

class BlockingReloads : public std::enable_shared_from_this<BlockingReloads> {
 public:
  explicit BlockingReloads(LowLatencySite site) : site_(std::move(site)) {}

  void start() {
    site_.edge->on_change([weak = weak_from_this()] {
      // A streaming thread: one wake of the loop however many parts close before it runs.
      auto self = weak.lock();
      if (self && !self->wake_pending_.exchange(true)) {
        run_on_loop(nullptr, [weak] {
          if (auto s = weak.lock()) {
            s->wake_pending_ = false;
            s->wake();
          }
        });
      }
    });
    timer_ = std::make_unique<LoopTimer>(nullptr, std::chrono::milliseconds(250),
                                         [this] { give_up_late(); });
  }

  void handle(const web::HttpRequest& request, web::HttpResponder respond) {
    // /ll/<room>/master.m3u8 or /ll/<room>/<rendition>/<file>
    std::string_view rest = std::string_view(request.path);
    rest.remove_prefix(std::min<std::size_t>(rest.size(), 4));
    std::string_view room = rest.substr(0, rest.find('/'));
    if (room != site_.room || room.size() == rest.size()) {
      return respond(error_response(404, "room_unknown", "No studio broadcasts in that room."));
    }
    rest.remove_prefix(room.size() + 1);
    if (rest == "master.m3u8") {
      if (site_.edge->empty()) {
        // No parts are cut (hlssink2, or not on air yet): the player takes /hls/ instead.
        return respond(error_response(404, "not_live", "No low-latency stream is on air."));
      }
      return respond(
          file_response(site_.room_dir + "/master.m3u8", kPlaylistType, "public, max-age=10"));
    }
    std::size_t slash = rest.find('/');
    std::string_view rendition = rest.substr(0, slash);
    std::string_view file = slash == std::string_view::npos ? "" : rest.substr(slash + 1);
    // Only a rendition the edge knows names a folder: nothing else reaches the disk.
    auto snapshot = site_.edge->get(std::string(rendition));
    if (!snapshot) {
      return respond(error_response(404, "not_live", "That rendition is not on air."));
    }
    if (file == "index.m3u8") {
      return playlist(request, std::string(rendition), *snapshot, std::move(respond));
    }
    auto media = media_name(file);
    if (!media) {
      return respond(error_response(404, "not_found", "No such file."));
    }
    Asked asked{std::string(rendition), media->msn, media->part, std::string(file)};
    if (!media->part) {
      return respond(answer(asked));  // a whole segment is listed only once complete
    }
    switch (stream::judge(*snapshot, media->msn, media->part)) {
      case stream::EdgeAnswer::ready:
        return respond(answer(asked));
      case stream::EdgeAnswer::wait:
        return park(std::move(asked), *snapshot, std::move(respond));
      case stream::EdgeAnswer::too_far:
        return respond(error_response(404, "not_found", "That part is too far ahead."));
    }
  }

 private:
  void playlist(const web::HttpRequest& request, std::string rendition,
                const stream::EdgeSnapshot& snapshot, web::HttpResponder respond) {
    auto msn_text = web::query_value(request.query, "_HLS_msn");
    auto part_text = web::query_value(request.query, "_HLS_part");
    Asked asked{std::move(rendition), 0, std::nullopt, ""};
    if (!msn_text) {
      if (part_text) {
        return respond(error_response(400, "bad_request", "_HLS_part needs _HLS_msn."));
      }
      return respond(answer(asked));
    }
    auto msn = web::parse_bounded(*msn_text, 999'999'999);
    auto part = part_text ? web::parse_bounded(*part_text, 9999) : std::optional<std::int64_t>();
    if (!msn || (part_text && !part)) {
      return respond(
          error_response(400, "bad_request", "_HLS_msn and _HLS_part are whole numbers from 0."));
    }
    asked.msn = *msn;
    asked.blocking = true;
    if (part) {
      asked.part = static_cast<int>(*part);
    }
    switch (stream::judge(snapshot, asked.msn, asked.part)) {
      case stream::EdgeAnswer::ready:
        return respond(answer(asked));
      case stream::EdgeAnswer::wait:
        return park(std::move(asked), snapshot, std::move(respond));
      case stream::EdgeAnswer::too_far:
        return respond(error_response(400, "too_far",
                                      "That segment or part is too far ahead of the live edge."));
    }
  }

  web::HttpResponse answer(const Asked& asked) const {
    if (!asked.part_file.empty()) {
      return file_response(site_.room_dir + "/" + asked.rendition + "/" + asked.part_file,
                           "video/mp2t",
                           web::file_cache_control(web::FileCaching::live, asked.part_file));
    }
    auto snapshot = site_.edge->get(asked.rendition);
    if (!snapshot) {
      return error_response(404, "not_live", "That rendition is not on air.");
    }
    std::string text = snapshot->text;
    if (!snapshot->ended) {
      text += site_.edge->reports(asked.rendition);
    }
    return {200,
            kPlaylistType,
            std::move(text),
            {{"Cache-Control", asked.blocking ? kBlockedCache : "no-cache"}}};
  }

  void park(Asked asked, const stream::EdgeSnapshot& snapshot, web::HttpResponder respond) {
    // Three target durations (the spec's bound): a studio that stops cutting is answered 503.
    double target = std::max(1.0, snapshot.part_target * snapshot.segment_parts);
    auto hold =
        std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(3 * target));
    waiting_.push_back(Waiter{std::move(asked), std::move(respond), Clock::now() + hold});
  }

  // Loop: the edge moved; answer whoever it now satisfies (or who asks past a new broadcast).
  void wake() {
    std::erase_if(waiting_, [this](Waiter& w) {
      auto snapshot = site_.edge->get(w.asked.rendition);
      if (!snapshot) {
        return false;  // a new broadcast has not published this rendition yet
      }
      switch (stream::judge(*snapshot, w.asked.msn, w.asked.part)) {
        case stream::EdgeAnswer::ready:
          w.respond(answer(w.asked));
          return true;
        case stream::EdgeAnswer::too_far:  // the studio started again from segment 0
          w.respond(error_response(w.asked.part_file.empty() ? 400 : 404, "too_far",
                                   "That segment or part is too far ahead of the live edge."));
          return true;
        case stream::EdgeAnswer::wait:
          return false;
      }
      return false;
    });
  }

  void give_up_late() {
    auto now = Clock::now();
    std::erase_if(waiting_, [now](Waiter& w) {
      if (now < w.deadline) {
        return false;
      }
      w.respond(error_response(503, "not_yet", "The live edge did not reach that part in time."));
      return true;
    });
  }

  LowLatencySite site_;
  std::vector<Waiter> waiting_;  // loop only
  std::atomic<bool> wake_pending_{false};
  std::unique_ptr<LoopTimer> timer_;
};

}  // namespace

std::vector<web::HttpRoute> low_latency_routes(LowLatencySite site) {
  if (site.room.empty() || !site.edge) {
    return {};
  }
  auto reloads = std::make_shared<BlockingReloads>(std::move(site));
  reloads->start();
  return {
      web::HttpRoute{"/ll", [reloads](const web::HttpRequest& request, web::HttpResponder respond) {
                       reloads->handle(request, std::move(respond));
                     }}};
}

}  // namespace boai::app
