// What the stream tests share: temporary directories, running the GLib loop until something
// happens, reading HLS playlists, child processes, and comparing pixels of frames.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "stream/frame.hpp"
#include "stream/studio.hpp"

namespace boai::stream::test {

// A fresh directory under /tmp, removed with everything in it.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Iterates the default GLib main context (the studio's tick, its events) until `done` or timeout.
bool run_loop_until(const std::function<bool()>& done, std::chrono::milliseconds timeout);
void run_loop_for(std::chrono::milliseconds duration);

struct MediaPlaylist {
  std::int64_t media_sequence = -1;
  std::vector<std::string> segments;
  std::vector<double> durations;
  bool discontinuity = false;
  bool ended = false;
};

std::optional<MediaPlaylist> read_media_playlist(const std::string& path);
std::string read_text(const std::string& path);
// Segment number from "segment00012.ts".
int segment_number(const std::string& name);

// An MP4's top-level boxes in file order, "ftyp moov mdat ..."; empty when unreadable.
std::string mp4_top_level_boxes(const std::string& path);

// Runs a shell command and returns its standard output; the exit status goes to `status`.
std::string run_command(const std::string& command, int* status = nullptr);

// A child process with its own process group, killed (SIGKILL) at destruction if still running.
class Child {
 public:
  explicit Child(const std::vector<std::string>& argv, bool capture_stdout = false);
  ~Child();
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  void kill(int signal);
  int wait();  // the exit status from waitpid
  // Runs the GLib loop until the child exits on its own: its status, or nullopt at the timeout.
  std::optional<int> wait_for(std::chrono::milliseconds timeout);
  std::string read_line(std::chrono::milliseconds timeout);  // from stdout when captured
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  bool reaped_ = false;
  int status_ = 0;
};

std::uint16_t free_udp_port();
std::uint16_t closed_tcp_port();  // bound then closed: nothing listens there

// The default test configuration: the test source, a ladder of 720p and 360p, 1 s segments.
StudioConfig test_config(const TempDir& dir, const std::string& room);

// Frames: a rectangle, mean absolute difference, and pixels brighter than a threshold.
struct Rect {
  int x = 0;
  int y = 0;
  int width = 0;
  int height = 0;
};
double mean_difference(const Frame& a, const Frame& b, Rect r);
int bright_pixels(const Frame& frame, Rect r, int threshold = 200);
// Where the renderer puts `layer` on a 1280x720 frame for `state`.
std::optional<Rect> layer_rect(const OverlayState& state, bool slate, const std::string& layer);

// A frame composed after everything set before the call: waits for a few new frames first, then
// a few more for the grab branch's own thread to take one of them.
std::optional<Frame> fresh_frame(Studio& studio);
// A fresh frame whose `region` matches `reference`. On a busy machine the compositor may send a
// frame without the camera's late buffer; such a frame says nothing about the overlay.
std::optional<Frame> fresh_frame_matching(Studio& studio, const Frame& reference, Rect region);
// A fresh frame once two in a row agree in `region`: the camera is flowing.
std::optional<Frame> steady_frame(Studio& studio, Rect region);

// The studio's events as they came, on the loop thread.
struct EventLog {
  std::vector<StudioEvent> events;
  StudioListener listener() {
    return [this](const StudioEvent& e) { events.push_back(e); };
  }
  const StudioEvent* find(StudioEvent::Kind kind, const std::string& subject = {}) const;
};

// init_gstreamer(), create and go live; fails the test on an error.
std::unique_ptr<Studio> start_studio(const StudioConfig& config, EventLog& log);

// Waits until the rendition's playlist has a media sequence of at least `sequence`.
std::optional<MediaPlaylist> wait_for_sequence(const Studio& studio, const std::string& rendition,
                                               std::int64_t sequence,
                                               std::chrono::milliseconds timeout);

bool wait_on_air(Studio& studio, Scene scene, std::chrono::milliseconds timeout);
std::string input_state(const Studio& studio, const std::string& input);

}  // namespace boai::stream::test
