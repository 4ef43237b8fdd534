// Site routes: small JSON answers, pages read once at start, the preview behind the host role.
#include "app/site_routes.hpp"

#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "app/answer_cache.hpp"
#include "app/ledger_routes.hpp"
#include "app/recording_routes.hpp"
#include "app/route_support.hpp"
#include "app/show.hpp"
#include "app/staff_gate.hpp"
#include "donations/catalog.hpp"
#include "donations/held_pledges.hpp"
#include "web/room_store.hpp"

namespace boai::app {

using nlohmann::json;

namespace {

// Pages are small and read once, at start: the loop never waits on the disk for them. Asked again
// at every use (they name the scripts' hashed names, which change with a new version): an ETag
// makes that a 304.
web::HttpHandler page(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  auto html = std::make_shared<std::string>(text.str());
  std::string tag = etag_of(*html);
  return [html, tag](const web::HttpRequest& request, web::HttpResponder respond) {
    if (html->empty()) {
      return respond(json_response(404, {{"error", "not_found"}}));
    }
    if (request.header("if-none-match") == tag) {
      return respond(
          {304, "text/html; charset=utf-8", "", {{"Cache-Control", "no-cache"}, {"ETag", tag}}});
    }
    respond(
        {200, "text/html; charset=utf-8", *html, {{"Cache-Control", "no-cache"}, {"ETag", tag}}});
  };
}

// The campaigns, live first, each with its totals as its room shows them: two queries, however
// many campaigns. A draft is not public before it opens.
std::expected<json, Error> list_rooms(sql::Connection& c, donations::Money show_unpaid_up_to) {
  auto campaigns = donations::list_campaigns_with_totals(c);
  if (!campaigns) {
    return std::unexpected(campaigns.error());
  }
  auto held = donations::held_pledges(c, show_unpaid_up_to);
  if (!held) {
    return std::unexpected(held.error());
  }
  json live = json::array(), others = json::array();
  for (auto& [campaign, totals] : *campaigns) {
    if (campaign.status == "draft") {
      continue;
    }
    if (auto it = held->find(campaign.id); it != held->end()) {
      totals.held = it->second.held;
      totals.held_count = it->second.held_count;
    }
    json room = {{"slug", campaign.slug},
                 {"title", campaign.title},
                 {"status", campaign.status},
                 {"goal_fen", campaign.goal.fen()},
                 {"totals", web::totals_json(campaign, totals)}};
    (campaign.status == "live" ? live : others).push_back(std::move(room));
  }
  for (auto& r : others) {
    live.push_back(std::move(r));
  }
  return live;
}

// Public and the same for everyone: one read serves every request of the next second, and
// requests that come while it runs wait for it rather than start their own.
web::HttpHandler rooms_handler(sql::WorkerPool& pool, donations::Money show_unpaid_up_to) {
  struct Shared {
    AnswerCache cache{std::chrono::seconds(1)};
    std::vector<web::HttpResponder> waiting;
  };
  auto shared = std::make_shared<Shared>();
  return [&pool, shared, show_unpaid_up_to](const web::HttpRequest&, web::HttpResponder respond) {
    if (const auto* body = shared->cache.find("rooms")) {
      return respond({200, "application/json", *body, {{"Cache-Control", "no-store"}}});
    }
    shared->waiting.push_back(std::move(respond));
    if (shared->waiting.size() > 1) {
      return;
    }
    auto read = [show_unpaid_up_to](sql::Connection& c) {
      return list_rooms(c, show_unpaid_up_to);
    };
    pool.run_expected<json>(read, [shared](std::expected<json, Error> rooms) {
      auto waiting = std::move(shared->waiting);
      shared->waiting.clear();
      auto answer =
          rooms ? json_response(200, *rooms) : json_response(503, {{"error", rooms.error().code}});
      if (rooms) {
        shared->cache.keep("rooms", answer.body);
      }
      for (auto& r : waiting) {
        r(answer);
      }
    });
  };
}

// The studio's current frame as PNG, for the host console: hosts and admins only.
web::HttpHandler preview_handler(sql::WorkerPool& pool, Show* show) {
  return [&pool, show](const web::HttpRequest& request, web::HttpResponder respond) {
    with_staff(pool, request, std::move(respond), {"host", "the preview is for hosts"},
               [show](const web::StaffSession&, web::HttpResponder answer) {
                 if (show == nullptr) {
                   return answer(json_response(503, {{"error", "studio_unavailable"}}));
                 }
                 auto png = show->studio().snapshot_png();
                 if (!png) {
                   return answer(json_response(503, {{"error", png.error().code}}));
                 }
                 answer({200,
                         "image/png",
                         std::string(png->begin(), png->end()),
                         {{"Cache-Control", "no-store"}}});
               });
  };
}

}  // namespace

std::vector<web::HttpRoute> site_routes(const SiteInfo& site, sql::WorkerPool& pool, Show* show) {
  json station = {
      {"name", site.station_name},
      {"certificate", site.certificate},
      {"credit_code", site.credit_code},
      {"studio_room", site.studio_room.empty() ? json(nullptr) : json(site.studio_room)}};
  std::vector<web::HttpRoute> routes = {
      {"/r", page(site.static_dir + "/index.html")},
      {"/host", page(site.static_dir + "/host.html")},
      {"/finance", page(site.static_dir + "/finance.html")},
      {"/ledger", page(site.static_dir + "/ledger.html")},
      {"/gift", page(site.static_dir + "/gift.html")},
      {"/api/station",
       [station](const web::HttpRequest&, web::HttpResponder respond) {
         respond(json_response(200, station));
       }},
      {"/api/rooms", rooms_handler(pool, site.show_unpaid_up_to)},
      ledger_entries_route(pool),
      {"/api/studio/preview.png", preview_handler(pool, show)},
  };
  for (auto& r : recording_routes(site.replays, pool)) {
    routes.push_back(std::move(r));
  }
  return routes;
}

}  // namespace boai::app
