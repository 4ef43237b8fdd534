// Inside stream/ only: the studio's two inputs, the camera source and the current slide, each an
// InputPipeline of its own that feeds the main pipeline's channels. A live camera source that
// fails, stalls or ends is started again with back-off. Everything here runs on the GLib loop.
#pragma once

#include <cstddef>
#include <cstdint>
#include <expected>
#include <memory>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "stream/input_pipeline.hpp"
#include "stream/reaper.hpp"
#include "stream/source_spec.hpp"
#include "stream/studio_health.hpp"

namespace boai::stream {

class StudioInputs {
 public:
  // `camera` and `slides` name the channels each input feeds (the slides have no sound). Events
  // go to `listener`: kInputUp, and kInputLost with the reason.
  StudioInputs(SourceSpec source, InputChannels camera, InputChannels slides, Reaper& reaper,
               StudioListener listener);
  StudioInputs(const StudioInputs&) = delete;
  StudioInputs& operator=(const StudioInputs&) = delete;

  void start();  // the broadcast begins: the camera and the current slide
  void end();    // the broadcast is ending: both pipelines go; their states stay until clear()
  void clear();  // the broadcast is over: both "stopped"
  void tick(std::int64_t now);  // while live: up, lost, stalled, retries due

  // The old camera goes at once and the input is "stopped" until start_camera().
  void replace_source(SourceSpec source);
  // While live: "source_unavailable" with the reason when the camera cannot start now; a live
  // source is retried all the same.
  std::expected<void, Error> start_camera();

  // PNG and JPEG files of `dir` in name order, from the first: "slides_empty".
  std::expected<void, Error> load_slides(const std::string& dir);
  std::expected<void, Error> next_slide();      // "slide_out_of_range"
  std::expected<void, Error> previous_slide();  // "slide_out_of_range"
  std::size_t slide_index() const { return slide_at_; }
  std::size_t slide_count() const { return slide_files_.size(); }

  bool camera_up() const { return camera_.state == "up"; }
  bool slides_up() const { return slides_.state == "up"; }
  void report(std::vector<InputHealth>& rows) const;

 private:
  struct Slot {
    std::unique_ptr<InputPipeline> pipeline;
    std::string state = "stopped";
    std::string last_error;
    std::int64_t retry_at_us = 0;  // 0: no retry planned
    int backoff_ms = 0;
  };

  void launch_camera();
  void lose_camera(const Error& error, bool ended);
  void tick_camera(std::int64_t now);
  void show_slide();
  void lose_slides(const Error& error);
  void tick_slides();

  SourceSpec source_;
  InputChannels camera_channels_;
  InputChannels slides_channels_;
  Reaper& reaper_;
  StudioListener listener_;
  bool live_ = false;
  Slot camera_;
  Slot slides_;
  std::vector<std::string> slide_files_;
  std::size_t slide_at_ = 0;
};

}  // namespace boai::stream
