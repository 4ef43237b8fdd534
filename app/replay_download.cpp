// A replay's download with Range and Content-Disposition.
#include "app/replay_download.hpp"

#include <filesystem>

#include "app/route_support.hpp"
#include "web/byte_range.hpp"

namespace boai::app {

web::HttpResponse replay_download(ReplayKeeper& keeper, const std::string& name,
                                  const std::string& range_header) {
  namespace fs = std::filesystem;
  auto parsed = stream::parse_recording_name(name);
  if (!parsed || (parsed->hls && keeper.meta(name).hidden)) {
    return error_response(404, "recording_unknown", "There is no recording " + name + ".");
  }
  // The names are the studio's own (a room slug and a UTC stamp): safe in a header as they are.
  std::string file_name = parsed->hls ? name + ".mp4" : name;
  fs::path path =
      parsed->hls ? fs::path(keeper.dir()) / name / file_name : fs::path(keeper.dir()) / name;
  std::error_code ec;
  auto size = fs::file_size(path, ec);
  if (ec) {
    bool exists = fs::exists(fs::path(keeper.dir()) / name, ec);
    return exists ? error_response(404, "download_not_ready",
                                   "The download is made once the broadcast has ended.")
                  : error_response(404, "recording_unknown", "There is no recording " + name + ".");
  }
  auto choice = web::choose_range(range_header, size);
  if (choice.answer == web::RangeAnswer::kUnsatisfiable) {
    auto r = error_response(416, "range_not_satisfiable", "The range is past the file's end.");
    r.headers.emplace_back("Content-Range", "bytes */" + std::to_string(size));
    return r;
  }
  web::HttpResponse r;
  r.status = choice.answer == web::RangeAnswer::kPart ? 206 : 200;
  r.content_type = parsed->hls ? "video/mp4" : "video/x-matroska";
  r.file = path.string();
  r.file_offset = choice.range.first;
  r.file_length = choice.range.length;
  r.headers = {{"Accept-Ranges", "bytes"},
               {"Content-Disposition", "attachment; filename=\"" + file_name + "\""},
               // Made once and never changed: caches may keep it (a new one gets a new name).
               {"Cache-Control", "public, max-age=86400"}};
  if (r.status == 206) {
    r.headers.emplace_back("Content-Range",
                           "bytes " + std::to_string(choice.range.first) + "-" +
                               std::to_string(choice.range.first + choice.range.length - 1) + "/" +
                               std::to_string(size));
  }
  return r;
}

}  // namespace boai::app
