// The studio's control surface: go live, stop, switch scenes and slides, swap the overlay, manage
// push targets, read health. Call it from the GLib main loop thread; its events come back there.
#pragma once

#include <cstdint>
#include <expected>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.hpp"
#include "stream/frame.hpp"
#include "stream/live_edge.hpp"
#include "stream/overlay_state.hpp"
#include "stream/studio_config.hpp"
#include "stream/studio_health.hpp"

namespace boai::stream {

class Studio {
 public:
  // Checks the configuration and prepares the overlay fonts; nothing is broadcast yet. Needs
  // init_gstreamer() first. Errors: "config_invalid", "source_invalid", "push_url_invalid".
  static std::expected<std::unique_ptr<Studio>, Error> create(StudioConfig config,
                                                              StudioListener listener = {});
  ~Studio();  // stops at once, without waiting for the muxers
  Studio(const Studio&) = delete;
  Studio& operator=(const Studio&) = delete;

  // Starts HLS, the replay's recording and the push targets. A source that cannot start is reported
  // (in health and as an event) and retried while the slate is on air; it does not stop going live.
  // Errors: "already_live", "hls_dir_unwritable", "studio_failed".
  std::expected<void, Error> go_live();
  // Ends the broadcast: the live and replay playlists get their end tag. The
  // kStopped event follows within a few seconds; live() turns false then.
  void stop();
  bool live() const;

  void switch_scene(Scene scene);
  Scene scene() const;   // the host's choice
  Scene on_air() const;  // what viewers see: the slate while the camera is lost

  // Replaces the camera source live; the outputs go on. "source_invalid" leaves the old source.
  std::expected<void, Error> switch_source(std::string_view source);

  // Slides: PNG and JPEG files of a folder, in name order. "slides_empty", "slide_out_of_range".
  std::expected<void, Error> load_slides(const std::string& dir);
  std::expected<void, Error> next_slide();
  std::expected<void, Error> previous_slide();
  std::size_t slide_index() const;
  std::size_t slide_count() const;

  // Any thread. The next composed frame shows the new state; the old one is released once no
  // frame uses it.
  void set_overlay(std::shared_ptr<const OverlayState> state);
  std::shared_ptr<const OverlayState> overlay() const;

  // Returns the target's id ("push-1"). "push_url_invalid" names the target, key hidden.
  std::expected<std::string, Error> add_push_target(std::string_view url);
  std::expected<void, Error> remove_push_target(std::string_view id);

  StudioHealth health() const;

  // The latest composed frame, overlay included; nullopt before the first one. Blocks for a
  // colour conversion (a few milliseconds), so call it off the hot path.
  std::optional<Frame> last_frame() const;
  std::expected<std::vector<std::uint8_t>, Error> snapshot_png() const;

  std::string room_dir() const;  // <hls_dir>/<room>
  // The Low-Latency HLS playlists of the broadcast, as each rendition's segmenter publishes them
  // (for the service's blocking reloads). The same object for the studio's whole life.
  std::shared_ptr<LiveEdge> live_edge() const;
  // The replay's folder (<recordings_dir>/<room>-<UTC start>) of the current or last broadcast;
  // empty when none.
  std::string recording_path() const;
  // Seconds into the replay being recorded (where a chapter mark points); nullopt when nothing
  // is being recorded.
  std::optional<double> recording_position() const;

 private:
  struct Impl;
  explicit Studio(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace boai::stream
