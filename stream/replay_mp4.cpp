// Remuxing with GStreamer pipelines run to their end on the calling thread.
#include "stream/replay_mp4.hpp"

#include <gst/app/gstappsink.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "stream/gst_util.hpp"
#include "stream/gstreamer_runtime.hpp"
#include "stream/hls_playlist.hpp"
#include "stream/recordings.hpp"
#include "stream/ts_segmenter.hpp"

namespace boai::stream {
namespace {

namespace fs = std::filesystem;

Error remux_error(const std::string& why) {
  return make_error("remux_failed", why);
}

// Waits for the end of stream, an error or `cancel`; the pipeline is then stopped.
std::expected<void, Error> run_to_end(GstElement* pipeline, const char* code,
                                      const std::atomic<bool>* cancel) {
  GstBusRef bus(gst_element_get_bus(pipeline));
  std::expected<void, Error> result;
  while (true) {
    GstMessageRef message(gst_bus_timed_pop_filtered(
        bus.get(), GST_SECOND / 5,
        static_cast<GstMessageType>(GST_MESSAGE_ERROR | GST_MESSAGE_EOS)));
    if (message && GST_MESSAGE_TYPE(message.get()) == GST_MESSAGE_ERROR) {
      result = std::unexpected(make_error(code, describe_error(message.get())));
    }
    if (message) {
      break;
    }
    if (cancel != nullptr && cancel->load()) {
      result = std::unexpected(make_error("remux_cancelled", "The service is stopping."));
      break;
    }
  }
  gst_element_set_state(pipeline, GST_STATE_NULL);
  return result;
}

std::string video_and_audio_into(const std::string& mux) {
  return "d. ! video/x-h264 ! queue ! h264parse ! " + mux +
         " d. ! audio/mpeg ! queue ! aacparse ! m. ";
}

// The Matroska file's H.264 and AAC into MPEG-TS, cut by the studio's own segmenter: its live
// window in `cutting`, every segment kept in the replay `dir` as a broadcast's would be.
std::expected<void, Error> cut_into_replay(const fs::path& mkv, const fs::path& cutting,
                                           const fs::path& dir) {
  auto pipeline =
      launch("filesrc name=file ! matroskademux name=d " +
                 video_and_audio_into("mpegtsmux name=m alignment=0 ! appsink name=ts sync=false"),
             "convert_failed");
  if (!pipeline) {
    return std::unexpected(pipeline.error());
  }
  GstElement* p = pipeline->get();
  g_object_set(child(p, "file").get(), "location", mkv.c_str(), nullptr);
  auto replay = std::make_shared<ReplayRecording>(dir.string(), 0);
  TsSegmenterOptions options;
  options.playlist = MediaPlaylistOptions{cutting.string(), 1, 3, 4};
  options.replay = replay;
  options.replay_rendition = "720p";
  TsSegmenter segmenter(options);
  if (gst_element_set_state(p, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE) {
    gst_element_set_state(p, GST_STATE_NULL);
    return std::unexpected(make_error("convert_failed", "The file cannot be read."));
  }
  GstElementRef sink = child(p, "ts");
  GstBusRef bus(gst_element_get_bus(p));
  std::expected<void, Error> ran;
  // A broken file errors without an end of stream: the bus is looked at between samples.
  while (!gst_app_sink_is_eos(GST_APP_SINK(sink.get()))) {
    GstMessageRef error(gst_bus_pop_filtered(bus.get(), GST_MESSAGE_ERROR));
    if (error) {
      ran = std::unexpected(make_error("convert_failed", describe_error(error.get())));
      break;
    }
    GstSampleRef sample(gst_app_sink_try_pull_sample(GST_APP_SINK(sink.get()), GST_SECOND / 10));
    GstBuffer* buffer = sample ? gst_sample_get_buffer(sample.get()) : nullptr;
    GstMapInfo map;
    if (buffer != nullptr && gst_buffer_map(buffer, &map, GST_MAP_READ)) {
      (void)segmenter.write(map.data, map.size);
      gst_buffer_unmap(buffer, &map);
    }
  }
  gst_element_set_state(p, GST_STATE_NULL);
  (void)segmenter.finish();
  if (ran && replay->error()) {
    ran = std::unexpected(*replay->error());
  }
  if (ran && segmenter.listed() == 0) {
    ran = std::unexpected(make_error("convert_failed", "The file holds no video key frame."));
  }
  return ran;
}

}  // namespace

std::expected<void, Error> remux_replay_mp4(const std::string& replay_dir,
                                            const std::atomic<bool>* cancel) {
  init_gstreamer();
  fs::path dir(replay_dir);
  std::string name = dir.filename().string();
  Recording r;
  r.name = name;
  r.path = replay_dir;
  r.hls = true;
  if (!read_replay_details(r) || !r.ended) {
    return std::unexpected(remux_error("The replay " + name + " is not finished."));
  }
  // The first rendition's folder holds its listed segments only, named in their order.
  fs::path part = dir / (name + ".mp4.part");
  auto pipeline =
      launch("splitfilesrc name=files ! tsdemux name=d " +
                 video_and_audio_into("mp4mux name=m faststart=true ! filesink name=sink"),
             "remux_failed");
  if (!pipeline) {
    return std::unexpected(pipeline.error());
  }
  GstElement* p = pipeline->get();
  g_object_set(child(p, "files").get(), "location",
               (dir / r.first_rendition / "segment*.ts").c_str(), nullptr);
  g_object_set(child(p, "sink").get(), "location", part.c_str(), nullptr);
  // mp4mux's faststart writes the media to a temporary file first: beside the replay, not /tmp.
  g_object_set(child(p, "m").get(), "faststart-file", (dir / (name + ".mdat.part")).c_str(),
               nullptr);
  if (gst_element_set_state(p, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE) {
    gst_element_set_state(p, GST_STATE_NULL);
    return std::unexpected(remux_error("The remux of " + name + " would not start."));
  }
  auto ran = run_to_end(p, "remux_failed", cancel);
  std::error_code ec;
  if (ran) {
    fs::rename(part, dir / (name + ".mp4"), ec);
    if (ec) {
      ran = std::unexpected(remux_error("Cannot name the download of " + name + "."));
    }
  }
  if (!ran) {
    fs::remove(part, ec);
  }
  fs::remove(dir / (name + ".mdat.part"), ec);
  return ran;
}

std::expected<void, Error> convert_matroska(const std::string& mkv_path) {
  init_gstreamer();
  fs::path mkv(mkv_path);
  auto parsed = parse_recording_name(mkv.filename().string());
  if (!parsed || parsed->hls) {
    return std::unexpected(make_error("convert_failed", mkv_path + " is not a recording's file."));
  }
  fs::path dir = mkv.parent_path() / mkv.stem();
  fs::path cutting = mkv.parent_path() / ("." + mkv.stem().string() + ".cutting");
  std::error_code ec;
  fs::remove_all(cutting, ec);
  if (fs::exists(dir) || !fs::create_directories(cutting, ec) || !fs::create_directory(dir, ec) ||
      !fs::create_directory(dir / "720p", ec)) {
    return std::unexpected(
        make_error("convert_failed", "Cannot make the replay folder " + dir.string() + "."));
  }
  auto cut = cut_into_replay(mkv, cutting, dir);
  if (cut) {
    cut = write_master_playlist(dir.string(), {default_ladder().front()}, 30, 128);
  }
  if (cut) {
    cut = remux_replay_mp4(dir.string());
  }
  fs::remove_all(cutting, ec);
  if (!cut) {
    fs::remove_all(dir, ec);
    return std::unexpected(
        make_error("convert_failed", mkv.filename().string() + ": " + cut.error().message));
  }
  fs::remove(mkv, ec);
  return {};
}

}  // namespace boai::stream
