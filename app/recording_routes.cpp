// The replay library's routes: arguments checked on the loop, the disk read and the JSON made on
// a worker thread, the answer given back on the loop.
#include "app/recording_routes.hpp"

#include <functional>
#include <map>
#include <memory>

#include "app/replay_download.hpp"
#include "app/route_support.hpp"
#include "app/staff_gate.hpp"
#include "donations/text_rules.hpp"
#include "web/query_params.hpp"

namespace boai::app {

using nlohmann::json;

namespace {

const StaffNeed kHosts{"host", "the replay library is kept by hosts"};

using Keeper = std::shared_ptr<ReplayKeeper>;

// The library's disk work on the pool's threads, whether or not the database is up (a pool with
// no connection still runs it there). A full queue is answered `busy` at once: that answer comes
// on the loop, where the disk must not be read.
void on_disk(sql::WorkerPool& pool, std::function<web::HttpResponse()> work,
             web::HttpResponder respond) {
  pool.run<web::HttpResponse>([work](sql::Connection&) { return work(); }, std::move(respond),
                              [work](const sql::DbError& e) {
                                return e.code == "busy" ? error_response(503, "busy", e.message)
                                                        : work();
                              });
}

json recording_json(const stream::Recording& r, const ReplayMeta& meta) {
  json chapters = json::array();
  for (const auto& c : meta.chapters) {
    chapters.push_back({{"at_seconds", c.at_seconds}, {"title", c.title}});
  }
  std::string url = "/recordings/" + (r.hls ? r.name + "/master.m3u8" : r.name);
  return {{"name", r.name},
          {"room", r.room},
          {"title", meta.title},
          {"started", r.started_utc},
          {"kind", r.hls ? "hls" : "mkv"},
          {"live", !r.ended},
          {"seconds", r.seconds},
          {"url", url},
          {"download",
           r.download.empty() ? json(nullptr) : json("/api/recordings/" + r.name + "/download")},
          {"bytes", r.size_bytes},
          {"chapters", std::move(chapters)},
          {"hidden", meta.hidden},
          {"pinned", meta.pinned}};
}

web::HttpResponse page_response(ReplayKeeper& keeper, std::size_t limit, const std::string& before,
                                bool all) {
  // Each replay's replay.json is read once: to leave out hidden ones, then for its fields.
  std::map<std::string, ReplayMeta> metas;
  auto page = keeper.index().page(limit, before, [&](const stream::Recording& r) {
    if (!r.hls) {
      return true;
    }
    const auto& meta = metas[r.name] = keeper.meta(r.name);
    return all || !meta.hidden;
  });
  if (!page) {
    return error_response(400, "bad_request", "before is not a recording's name");
  }
  json list = json::array();
  for (const auto& r : page->recordings) {
    list.push_back(recording_json(r, r.hls ? metas[r.name] : ReplayMeta{}));
  }
  json body = {{"recordings", std::move(list)},
               {"next_before", page->next_before ? json(*page->next_before) : json(nullptr)}};
  if (all) {
    auto use = keeper.use();
    body["library"] = {{"used_bytes", use.used_bytes},
                       {"free_bytes", use.free_bytes},
                       {"max_bytes", keeper.budget().max_bytes},
                       {"min_free_bytes", keeper.budget().min_free_bytes}};
  }
  return json_response(200, body);
}

void list(const Keeper& keeper, sql::WorkerPool& pool, const web::HttpRequest& request,
          web::HttpResponder respond) {
  auto limit_text = web::query_value(request.query, "limit");
  auto limit = limit_text ? web::parse_bounded(*limit_text, kRecordingsPageMax)
                          : std::optional<std::int64_t>(kRecordingsPageDefault);
  if (!limit || *limit < 1) {
    return respond(
        error_response(400, "bad_request",
                       "limit is a whole number from 1 to " + std::to_string(kRecordingsPageMax)));
  }
  auto before = web::query_value(request.query, "before").value_or("");
  auto n = static_cast<std::size_t>(*limit);
  auto read = [keeper, &pool, n, before](bool all, web::HttpResponder answer) {
    on_disk(
        pool, [keeper, n, before, all] { return page_response(*keeper, n, before, all); },
        std::move(answer));
  };
  if (web::query_value(request.query, "all").value_or("") != "1") {
    return read(false, std::move(respond));
  }
  with_staff(pool, request, std::move(respond), kHosts,
             [read](const web::StaffSession&, web::HttpResponder answer) {
               read(true, std::move(answer));
             });
}

// {title, hidden, pinned}, each optional; a wrong type or a title too long or empty is refused.
std::expected<ReplayEdit, std::string> edit_of(const std::string& body) {
  json j = json::parse(body, nullptr, false);
  if (!j.is_object()) {
    return std::unexpected("send {\"title\": \"...\", \"hidden\": false, \"pinned\": true}");
  }
  ReplayEdit edit;
  if (auto t = j.find("title"); t != j.end()) {
    if (!t->is_string()) {
      return std::unexpected("\"title\" must be text");
    }
    auto title = donations::trim_text(t->get<std::string>());
    if (title.empty() || donations::char_count(title) > kReplayTitleMaxChars) {
      return std::unexpected("\"title\" is 1 to 80 characters");
    }
    edit.title = title;
  }
  for (auto [key, field] :
       {std::pair{"hidden", &ReplayEdit::hidden}, std::pair{"pinned", &ReplayEdit::pinned}}) {
    if (auto f = j.find(key); f != j.end()) {
      if (!f->is_boolean()) {
        return std::unexpected(std::string("\"") + key + "\" must be true or false");
      }
      edit.*field = f->get<bool>();
    }
  }
  return edit;
}

void change(const Keeper& keeper, sql::WorkerPool& pool, const web::HttpRequest& request,
            web::HttpResponder respond) {
  if (request.method != "POST") {
    return respond(error_response(405, "method_not_allowed", "POST a replay's changes"));
  }
  std::string name = request.path.substr(std::string("/api/recordings/").size());
  auto edit = edit_of(request.body);
  if (!edit) {
    return respond(error_response(400, "bad_json", edit.error()));
  }
  with_staff(
      pool, request, std::move(respond), kHosts,
      [keeper, &pool, name, edit = *edit](const web::StaffSession&, web::HttpResponder answer) {
        auto work = [keeper, name, edit] {
          auto done = keeper->edit(name, edit);
          if (!done) {
            return error_response(404, done.error().code, done.error().message);
          }
          return json_response(200, {{"name", name},
                                     {"title", done->title},
                                     {"hidden", done->hidden},
                                     {"pinned", done->pinned}});
        };
        on_disk(pool, work, std::move(answer));
      });
}

void download(const Keeper& keeper, sql::WorkerPool& pool, const web::HttpRequest& request,
              web::HttpResponder respond) {
  std::string name = request.path.substr(std::string("/api/recordings/").size());
  name.resize(name.size() - std::string("/download").size());
  auto work = [keeper, name, range = request.header("range")] {
    return replay_download(*keeper, name, range);
  };
  on_disk(pool, work, std::move(respond));
}

}  // namespace

std::vector<web::HttpRoute> recording_routes(std::shared_ptr<ReplayKeeper> keeper,
                                             sql::WorkerPool& pool) {
  return {{"/api/recordings",
           [keeper, &pool](const web::HttpRequest& request, web::HttpResponder respond) {
             if (request.method == "GET" && request.path.starts_with("/api/recordings/") &&
                 request.path.ends_with("/download")) {
               return download(keeper, pool, request, std::move(respond));
             }
             if (request.path.starts_with("/api/recordings/")) {
               return change(keeper, pool, request, std::move(respond));
             }
             list(keeper, pool, request, std::move(respond));
           }}};
}

}  // namespace boai::app
