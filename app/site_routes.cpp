// Site routes: small JSON answers, pages read once at start, the preview behind the host role.
#include "app/site_routes.hpp"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "app/show.hpp"
#include "donations/catalog.hpp"
#include "stream/recordings.hpp"
#include "web/room_store.hpp"
#include "web/staff_routes.hpp"

namespace boai::app {

using nlohmann::json;

namespace {

web::HttpResponse json_response(int status, const json& body) {
  return {status, "application/json", body.dump(), {{"Cache-Control", "no-store"}}};
}

// Pages are small and read once, at start: the loop never waits on the disk for them.
web::HttpHandler page(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  auto html = std::make_shared<std::string>(text.str());
  return [html](const web::HttpRequest&, web::HttpResponder respond) {
    if (html->empty())
      return respond(json_response(404, {{"error", "not_found"}}));
    respond({200, "text/html; charset=utf-8", *html, {{"Cache-Control", "no-cache"}}});
  };
}

}  // namespace

std::vector<web::HttpRoute> site_routes(const SiteInfo& site, sql::WorkerPool& pool, Show* show) {
  std::vector<web::HttpRoute> routes;
  routes.push_back({"/r", page(site.static_dir + "/index.html")});
  routes.push_back({"/host", page(site.static_dir + "/host.html")});

  json station = {
      {"name", site.station_name},
      {"certificate", site.certificate},
      {"credit_code", site.credit_code},
      {"studio_room", site.studio_room.empty() ? json(nullptr) : json(site.studio_room)}};
  routes.push_back({"/api/station", [station](const web::HttpRequest&, web::HttpResponder respond) {
                      respond(json_response(200, station));
                    }});

  routes.push_back({"/api/rooms", [&pool](const web::HttpRequest&, web::HttpResponder respond) {
                      using Listed = std::expected<json, Error>;
                      pool.run<Listed>(
                          [](sql::Connection& c) -> Listed {
                            auto campaigns = donations::list_campaigns(c);
                            if (!campaigns)
                              return std::unexpected(campaigns.error());
                            json live = json::array(), others = json::array();
                            for (const auto& campaign : *campaigns) {
                              auto totals = donations::campaign_totals(c, campaign.id);
                              if (!totals)
                                return std::unexpected(totals.error());
                              json room = {{"slug", campaign.slug},
                                           {"title", campaign.title},
                                           {"status", campaign.status},
                                           {"goal_fen", campaign.goal.fen()},
                                           {"totals", web::totals_json(campaign, *totals)}};
                              (campaign.status == "live" ? live : others).push_back(room);
                            }
                            for (auto& r : others)
                              live.push_back(r);
                            return live;
                          },
                          [respond](Listed rooms) {
                            if (!rooms)
                              return respond(json_response(503, {{"error", rooms.error().code}}));
                            respond(json_response(200, *rooms));
                          },
                          [](const sql::DbError& e) -> Listed {
                            return std::unexpected(Error{e.code, e.message});
                          });
                    }});

  std::string recordings_dir = site.recordings_dir;
  routes.push_back(
      {"/api/recordings", [recordings_dir](const web::HttpRequest&, web::HttpResponder respond) {
         json list = json::array();
         for (const auto& r : stream::list_recordings(recordings_dir)) {
           list.push_back({{"name", r.file_name},
                           {"room", r.room},
                           {"url", "/recordings/" + r.file_name},
                           {"bytes", r.size_bytes},
                           {"started", r.started_utc}});
         }
         respond(json_response(200, list));
       }});

  routes.push_back({"/api/studio/preview.png",
                    [&pool, show](const web::HttpRequest& request, web::HttpResponder respond) {
                      web::authenticate(
                          pool, request.cookie,
                          [show, respond](std::optional<web::StaffSession> s) {
                            if (!s)
                              return respond(json_response(401, {{"error", "not_signed_in"}}));
                            if (s->role != "host" && s->role != "admin") {
                              return respond(json_response(403, {{"error", "not_allowed"}}));
                            }
                            if (show == nullptr)
                              return respond(json_response(503, {{"error", "studio_unavailable"}}));
                            auto png = show->studio().snapshot_png();
                            if (!png)
                              return respond(json_response(503, {{"error", png.error().code}}));
                            respond({200,
                                     "image/png",
                                     std::string(png->begin(), png->end()),
                                     {{"Cache-Control", "no-store"}}});
                          });
                    }});
  return routes;
}

}  // namespace boai::app
