// Shared helpers of the stream tests.
#include "studio_support.hpp"

#include <fcntl.h>
#include <glib.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "stream/gstreamer_runtime.hpp"
#include "stream/overlay_renderer.hpp"

namespace boai::stream::test {

TempDir::TempDir() {
  char pattern[] = "/tmp/boai-stream-XXXXXX";
  if (mkdtemp(pattern) == nullptr) {
    throw std::runtime_error("mkdtemp failed");
  }
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

bool run_loop_until(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) {
      return false;
    }
    while (g_main_context_iteration(nullptr, FALSE)) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

void run_loop_for(std::chrono::milliseconds duration) {
  run_loop_until([] { return false; }, duration);
}

std::string read_text(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream out;
  out << file.rdbuf();
  return out.str();
}

std::string mp4_top_level_boxes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string boxes;
  unsigned char head[16];
  while (in.read(reinterpret_cast<char*>(head), 8)) {
    std::uint64_t size =
        (std::uint64_t{head[0]} << 24) | (head[1] << 16) | (head[2] << 8) | head[3];
    std::uint64_t header = 8;
    if (size == 1 && in.read(reinterpret_cast<char*>(head + 8), 8)) {  // a 64-bit size
      size = 0;
      for (int i = 8; i < 16; ++i) {
        size = (size << 8) | head[i];
      }
      header = 16;
    }
    boxes += (boxes.empty() ? "" : " ") + std::string(reinterpret_cast<char*>(head + 4), 4);
    if (size < header) {
      break;  // 0: to the end of the file
    }
    in.seekg(static_cast<std::streamoff>(size - header), std::ios::cur);
  }
  return boxes;
}

std::optional<MediaPlaylist> read_media_playlist(const std::string& path) {
  // hlssink2 rewrites the playlist in place: a read can land between truncate and write.
  std::string text;
  for (int attempt = 0; attempt < 50; ++attempt) {
    text = read_text(path);
    if (text.starts_with("#EXTM3U") && text.back() == '\n') {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (!text.starts_with("#EXTM3U")) {
    return std::nullopt;
  }
  MediaPlaylist p;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.starts_with("#EXT-X-MEDIA-SEQUENCE:")) {
      p.media_sequence = std::stoll(line.substr(22));
    } else if (line.starts_with("#EXTINF:")) {
      p.durations.push_back(std::stod(line.substr(8)));
    } else if (line.starts_with("#EXT-X-DISCONTINUITY")) {
      p.discontinuity = true;
    } else if (line.starts_with("#EXT-X-ENDLIST")) {
      p.ended = true;
    } else if (!line.empty() && line[0] != '#') {
      p.segments.push_back(line);
    }
  }
  return p;
}

int segment_number(const std::string& name) {
  auto digits = name.find_first_of("0123456789");
  if (digits == std::string::npos) {
    return -1;
  }
  return std::atoi(name.c_str() + digits);
}

std::string run_command(const std::string& command, int* status) {
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    throw std::runtime_error("popen failed");
  }
  std::string out;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) {
    out.append(buffer, n);
  }
  int rc = pclose(pipe);
  if (status != nullptr) {
    *status = rc;
  }
  return out;
}

Child::Child(const std::vector<std::string>& argv, bool capture_stdout) {
  int fds[2] = {-1, -1};
  if (capture_stdout && pipe2(fds, O_CLOEXEC) != 0) {
    throw std::runtime_error("pipe failed");
  }
  std::vector<char*> args;
  for (const std::string& a : argv) {
    args.push_back(const_cast<char*>(a.c_str()));
  }
  args.push_back(nullptr);
  pid_ = fork();
  if (pid_ < 0) {
    throw std::runtime_error("fork failed");
  }
  if (pid_ == 0) {
    setpgid(0, 0);
    if (capture_stdout) {
      dup2(fds[1], STDOUT_FILENO);
    }
    execvp(args[0], args.data());
    _exit(127);
  }
  if (capture_stdout) {
    close(fds[1]);
    stdout_fd_ = fds[0];
  }
}

Child::~Child() {
  if (!reaped_) {
    kill(SIGKILL);
    wait();
  }
  if (stdout_fd_ >= 0) {
    close(stdout_fd_);
  }
}

void Child::kill(int signal) {
  if (!reaped_) {
    ::kill(-pid_, signal);
  }
}

int Child::wait() {
  if (reaped_) {
    return status_;
  }
  waitpid(pid_, &status_, 0);
  reaped_ = true;
  return status_;
}

std::optional<int> Child::wait_for(std::chrono::milliseconds timeout) {
  run_loop_until(
      [&] {
        if (!reaped_ && waitpid(pid_, &status_, WNOHANG) == pid_) {
          reaped_ = true;
        }
        return reaped_;
      },
      timeout);
  return reaped_ ? std::optional<int>(status_) : std::nullopt;
}

std::string Child::read_line(std::chrono::milliseconds timeout) {
  std::string line;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{stdout_fd_, POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) {
      continue;
    }
    char c;
    if (read(stdout_fd_, &c, 1) != 1) {
      break;
    }
    if (c == '\n') {
      return line;
    }
    line += c;
  }
  return line;
}

namespace {

std::uint16_t bound_port(int type) {
  int fd = socket(AF_INET, type, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

}  // namespace

std::uint16_t free_udp_port() {
  return bound_port(SOCK_DGRAM);
}
std::uint16_t closed_tcp_port() {
  return bound_port(SOCK_STREAM);
}

StudioConfig test_config(const TempDir& dir, const std::string& room) {
  StudioConfig config;
  config.room = room;
  config.hls_dir = dir.path() + "/hls";
  config.recordings_dir = dir.path() + "/recordings";
  // The fastest preset keeps two studios at once within this machine's two cores.
  config.x264_preset = "ultrafast";
  return config;
}

double mean_difference(const Frame& a, const Frame& b, Rect r) {
  long long total = 0;
  for (int y = r.y; y < r.y + r.height; ++y) {
    for (int x = r.x; x < r.x + r.width; ++x) {
      const std::uint8_t* p = a.pixel(x, y);
      const std::uint8_t* q = b.pixel(x, y);
      for (int c = 0; c < 3; ++c) {
        total += std::abs(int(p[c]) - int(q[c]));
      }
    }
  }
  return static_cast<double>(total) / (3.0 * r.width * r.height);
}

int bright_pixels(const Frame& frame, Rect r, int threshold) {
  int count = 0;
  for (int y = r.y; y < r.y + r.height; ++y) {
    for (int x = r.x; x < r.x + r.width; ++x) {
      const std::uint8_t* p = frame.pixel(x, y);
      if (p[0] > threshold && p[1] > threshold && p[2] > threshold) {
        ++count;
      }
    }
  }
  return count;
}

std::optional<Rect> layer_rect(const OverlayState& state, bool slate, const std::string& layer) {
  OverlayRenderer renderer(1280, 720);
  for (const OverlayLayer& l : renderer.render(state, slate, std::chrono::system_clock::now())) {
    if (l.name == layer) {
      return Rect{l.x, l.y, l.width, l.height};
    }
  }
  return std::nullopt;
}

std::optional<Frame> fresh_frame(Studio& studio) {
  // Frames are counted, and the overlay painted, as they leave the compositor: the fourth new one
  // was painted after the call. The grab branch's appsink takes frames on a thread of its own, a
  // little behind: four composed frames more (about the 100 ms once slept here on a quiet
  // machine) leave it time, and stretch on a busy one, where the compositor slows down too.
  std::uint64_t start = studio.health().frames;
  if (!run_loop_until([&] { return studio.health().frames >= start + 8; },
                      std::chrono::seconds(20))) {
    return std::nullopt;
  }
  return studio.last_frame();
}

std::optional<Frame> fresh_frame_matching(Studio& studio, const Frame& reference, Rect region) {
  std::optional<Frame> frame;
  bool matched = run_loop_until(
      [&] {
        frame = fresh_frame(studio);
        return frame && mean_difference(reference, *frame, region) < 1.0;
      },
      std::chrono::seconds(20));
  return matched ? frame : std::nullopt;
}

std::optional<Frame> steady_frame(Studio& studio, Rect region) {
  // Each frame against the one before it, not all against the first: a first frame sent without
  // the camera's buffer would otherwise match none after it.
  std::optional<Frame> previous;
  std::optional<Frame> frame;
  bool steady = run_loop_until(
      [&] {
        previous = std::move(frame);
        frame = fresh_frame(studio);
        return previous && frame && mean_difference(*previous, *frame, region) < 1.0;
      },
      std::chrono::seconds(20));
  return steady ? frame : std::nullopt;
}

const StudioEvent* EventLog::find(StudioEvent::Kind kind, const std::string& subject) const {
  for (const StudioEvent& e : events) {
    if (e.kind == kind && (subject.empty() || e.subject == subject)) {
      return &e;
    }
  }
  return nullptr;
}

std::unique_ptr<Studio> start_studio(const StudioConfig& config, EventLog& log) {
  init_gstreamer();
  auto studio = Studio::create(config, log.listener());
  INFO((studio ? std::string() : studio.error().code + ": " + studio.error().message));
  REQUIRE(studio);
  auto live = (*studio)->go_live();
  INFO((live ? std::string() : live.error().code + ": " + live.error().message));
  REQUIRE(live);
  return std::move(*studio);
}

std::optional<MediaPlaylist> wait_for_sequence(const Studio& studio, const std::string& rendition,
                                               std::int64_t sequence,
                                               std::chrono::milliseconds timeout) {
  std::string path = studio.room_dir() + "/" + rendition + "/index.m3u8";
  std::optional<MediaPlaylist> last;
  run_loop_until(
      [&] {
        last = read_media_playlist(path);
        return last && last->media_sequence >= sequence;
      },
      timeout);
  if (last && last->media_sequence >= sequence) {
    return last;
  }
  return std::nullopt;
}

bool wait_on_air(Studio& studio, Scene scene, std::chrono::milliseconds timeout) {
  return run_loop_until([&] { return studio.on_air() == scene; }, timeout);
}

std::string input_state(const Studio& studio, const std::string& input) {
  for (const InputHealth& h : studio.health().inputs) {
    if (h.name == input) {
      return h.state;
    }
  }
  return "";
}

}  // namespace boai::stream::test
