// Inside stream/ only: the broadcast's own pipeline. Pictures and sound come in through the input
// channels; the compositor makes the scene, the encoders make each rendition for its HLS
// segmenter, and appsinks tap the composed picture and the encoded stream. Built, played and torn
// down on the GLib loop; its taps run on GStreamer's streaming threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <expected>
#include <memory>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "stream/gst_util.hpp"
#include "stream/input_pipeline.hpp"
#include "stream/studio_config.hpp"
#include "stream/studio_health.hpp"

namespace boai::stream {

class EncodedFeed;
class LatestFrame;
class LiveEdge;
class OverlayPainter;
class ReplayRecording;
class StudioMeter;

class MainPipeline {
 public:
  // Who the streaming threads hand their work to; each tap is held by the pipeline that calls it.
  struct Taps {
    std::shared_ptr<OverlayPainter> painter;  // blends the overlay into each composed frame
    std::shared_ptr<LatestFrame> latest;      // keeps the last composed frame
    std::shared_ptr<EncodedFeed> feed;        // the 720p H.264 and the AAC, for the outputs
    StudioMeter& meter;                       // counts frames, dropped frames and bytes
    std::shared_ptr<ReplayRecording> replay;  // keeps every segment; null: not recorded
    std::shared_ptr<LiveEdge> live_edge;      // the LL playlists, for blocking reloads
  };

  // Reads the channels of `camera` (picture and sound) and of `slides` (picture); writes HLS
  // under `room_dir`. Kind kError goes to `listener`.
  MainPipeline(StudioConfig config, std::string room_dir, InputChannels camera,
               InputChannels slides, StudioListener listener);
  ~MainPipeline() { teardown(); }
  MainPipeline(const MainPipeline&) = delete;
  MainPipeline& operator=(const MainPipeline&) = delete;

  // The rendition directories, emptied of an earlier broadcast's files, and the master
  // playlist: "hls_dir_unwritable".
  std::expected<void, Error> prepare_hls() const;
  std::expected<void, Error> build(const Taps& taps);  // "studio_failed"
  std::expected<void, Error> play();                   // "studio_failed" with GStreamer's reason
  void end();       // the end of stream goes in: the segmenters finish their playlists
  void teardown();  // stops at once, without waiting for the end of stream
  bool built() const { return pipeline_ != nullptr; }

  // Drains the bus: an error is kept as last_error() and told, a replay that stopped recording
  // is told as the "recording" output failing; true once the end of stream came out (after
  // end()).
  bool poll();
  const std::string& last_error() const { return last_error_; }

  // Lays the compositor's pads out for the scene on air; `pip` shows the camera over the slides.
  void show(Scene on_air, bool pip);
  std::uint32_t queue_level(std::size_t rung) const;  // frames waiting before the encoder

 private:
  bool own_segmenter() const { return config_.hls_segmenter == HlsSegmenter::kStudio; }
  int width() const { return config_.ladder.front().width; }  // the size it composes at
  int height() const { return config_.ladder.front().height; }
  std::string description() const;
  std::string rendition_description(std::size_t rung) const;
  void set_segmenter(std::size_t rung, const std::shared_ptr<ReplayRecording>& replay,
                     const std::shared_ptr<LiveEdge>& live_edge);
  void tap_rendition(std::size_t rung, const Taps& taps);

  StudioConfig config_;
  std::string room_dir_;
  InputChannels camera_;
  InputChannels slides_;
  StudioListener listener_;
  GstElementRef pipeline_;
  GstPadRef camera_pad_;
  GstPadRef slides_pad_;
  std::vector<GstElementRef> encoder_queues_;
  std::string last_error_;
};

}  // namespace boai::stream
