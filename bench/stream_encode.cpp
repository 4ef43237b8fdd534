// bench/stream_encode: what the studio's default ladder (720p30 2.5 Mb/s + 360p 0.8 Mb/s, x264
// veryfast, AAC, overlays, replay) costs in CPU against ffmpeg encoding the same ladder from the
// same Y4M clip; how soon the first segment is playable; and glass-to-glass latency for a player
// that starts three segments from the live edge, read from a QR clock (debugqroverlay + zbarimg),
// with the studio's own segmenter and with hlssink2.
// Prints figures; asserts nothing. Usage: stream_encode [--seconds N] [--keep] [--only cpu|latency]
#include <gst/gst.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr int kFramerate = 30;

struct Run {
  double cpu_seconds = 0;
  double wall_seconds = 0;
  std::optional<double> first_segment_seconds;
  int exit_status = 0;
};

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string read_text(const fs::path& path) {
  std::ifstream file(path);
  std::stringstream out;
  out << file.rdbuf();
  return out.str();
}

struct Listed {
  std::string name;
  double seconds = 0;  // its EXTINF
};

std::vector<Listed> listing(const fs::path& playlist) {
  std::vector<Listed> out;
  std::istringstream lines(read_text(playlist));
  std::string line;
  double seconds = 0;
  while (std::getline(lines, line)) {
    if (line.starts_with("#EXTINF:")) {
      seconds = std::atof(line.c_str() + 8);
    }
    if (!line.empty() && line[0] != '#') {
      out.push_back(Listed{line, seconds});
    }
  }
  return out;
}

std::vector<std::string> segments(const fs::path& playlist) {
  std::vector<std::string> out;
  for (auto& segment : listing(playlist)) {
    out.push_back(std::move(segment.name));
  }
  return out;
}

pid_t spawn(const std::vector<std::string>& argv, const std::string& log) {
  pid_t pid = fork();
  if (pid == 0) {
    FILE* out = std::fopen(log.c_str(), "w");
    if (out != nullptr) {
      dup2(fileno(out), STDOUT_FILENO);
      dup2(fileno(out), STDERR_FILENO);
    }
    std::vector<char*> args;
    for (const auto& a : argv) {
      args.push_back(const_cast<char*>(a.c_str()));
    }
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  return pid;
}

// Runs a child to its end, noting when `playlist` first lists a segment; CPU from wait4's rusage.
Run measure(const std::vector<std::string>& argv, const fs::path& playlist,
            const std::string& log) {
  Run run;
  auto start = Clock::now();
  pid_t pid = spawn(argv, log);
  int status = 0;
  rusage usage{};
  while (true) {
    pid_t done = wait4(pid, &status, WNOHANG, &usage);
    if (done == pid) {
      break;
    }
    if (!run.first_segment_seconds && fs::exists(playlist) && !segments(playlist).empty()) {
      run.first_segment_seconds = seconds_since(start);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  run.wall_seconds = seconds_since(start);
  run.cpu_seconds = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                    static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  run.exit_status = status;
  return run;
}

int shell(const std::string& command) {
  return std::system(command.c_str());
}

std::vector<std::string> words(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string word;
  while (in >> word) {
    out.push_back(word);
  }
  return out;
}

// The clip both encoders read: colour bars, a moving ball and a running clock, 720p30.
bool make_clip(const fs::path& path, int seconds) {
  std::string frames = std::to_string(seconds * kFramerate);
  return shell(
             "gst-launch-1.0 -q compositor name=c ! video/x-raw,format=I420,width=1280,"
             "height=720,framerate=30/1 ! timeoverlay font-desc=\"Sans 40\" ! y4menc ! "
             "filesink location='" +
             path.string() +
             "' "
             "videotestsrc num-buffers=" +
             frames +
             " pattern=smpte75 ! "
             "video/x-raw,width=1280,height=720,framerate=30/1 ! c. "
             "videotestsrc num-buffers=" +
             frames +
             " pattern=ball ! "
             "video/x-raw,width=400,height=300,framerate=30/1 ! c.") == 0;
}

std::uint16_t free_udp_port() {
  // An ephemeral port from the time; the benchmark runs alone.
  return static_cast<std::uint16_t>(20000 + (getpid() % 20000));
}

// A live SRT publisher in this process whose frames carry their capture time in a QR code:
// debugqroverlay writes the buffer's running time, and base time + running time is the
// monotonic clock reading at capture.
struct Publisher {
  GstElement* pipeline = nullptr;
  GstClockTime base_time = 0;

  explicit Publisher(std::uint16_t port) {
    std::string description =
        "videotestsrc is-live=true pattern=smpte75 ! video/x-raw,width=1280,height=720,"
        "framerate=30/1 ! debugqroverlay pixel-size=6 ! videoconvert ! x264enc tune=zerolatency "
        "speed-preset=ultrafast key-int-max=30 bitrate=4000 ! h264parse config-interval=-1 ! "
        "mpegtsmux alignment=7 name=m ! srtsink uri=srt://127.0.0.1:" +
        std::to_string(port) +
        "?mode=caller audiotestsrc is-live=true ! audioconvert ! voaacenc ! aacparse ! m.";
    GError* error = nullptr;
    pipeline = gst_parse_launch(description.c_str(), &error);
    if (error != nullptr) {
      std::fprintf(stderr, "publisher: %s\n", error->message);
      g_error_free(error);
    }
    gst_object_ref_sink(pipeline);
    GstClock* clock = gst_system_clock_obtain();
    gst_pipeline_use_clock(GST_PIPELINE(pipeline), clock);
    gst_object_unref(clock);
    gst_element_set_state(pipeline, GST_STATE_PLAYING);
    base_time = gst_element_get_base_time(pipeline);
  }
  ~Publisher() {
    gst_element_set_state(pipeline, GST_STATE_NULL);
    gst_object_unref(pipeline);
  }
  Publisher(const Publisher&) = delete;
  Publisher& operator=(const Publisher&) = delete;
};

GstClockTime monotonic_ns() {
  GstClock* clock = gst_system_clock_obtain();
  GstClockTime now = gst_clock_get_time(clock);
  gst_object_unref(clock);
  return now;
}

// The capture time (ns, monotonic) of the first frame of `segment`, from its QR code.
std::optional<GstClockTime> first_frame_capture(const fs::path& segment, const fs::path& work,
                                                GstClockTime base_time) {
  fs::path png = work / "qr.png";
  fs::remove(png);
  if (shell("ffmpeg -v error -y -i '" + segment.string() + "' -frames:v 1 '" + png.string() +
            "'") != 0) {
    return std::nullopt;
  }
  FILE* pipe = popen(("zbarimg -q --raw '" + png.string() + "' 2>/dev/null").c_str(), "r");
  if (pipe == nullptr) {
    return std::nullopt;
  }
  char buffer[1024] = {};
  size_t n = std::fread(buffer, 1, sizeof buffer - 1, pipe);
  pclose(pipe);
  std::string text(buffer, n);
  auto key = text.find("\"TIMESTAMP\":");
  if (key == std::string::npos) {
    return std::nullopt;
  }
  return base_time + std::strtoull(text.c_str() + key + 12, nullptr, 10);
}

void print_cpu(const char* name, const Run& run, double seconds) {
  std::printf("  %-28s %6.2f CPU s over %4.1f s of output = %.2f of a core (wall %.1f s)\n", name,
              run.cpu_seconds, seconds, run.cpu_seconds / seconds, run.wall_seconds);
}

// CPU of the studio and of ffmpeg on the same clip and ladder; the studio's first segment.
bool measure_cpu(const fs::path& work, int seconds) {
  fs::path clip = work / "clip.y4m";
  if (!make_clip(clip, seconds)) {
    std::fprintf(stderr, "stream_encode: could not make the Y4M clip\n");
    return false;
  }

  // The studio: the default ladder with overlays and the recording, fed the clip.
  Run studio = measure({STUDIO_RUNNER, "--hls", (work / "studio").string(), "--recordings",
                        (work / "recordings").string(), "--source", "file:" + clip.string(),
                        "--seconds", std::to_string(seconds), "--preset", "veryfast"},
                       work / "studio/main/720p/index.m3u8", (work / "studio.log").string());

  // ffmpeg: the same ladder, preset, rates, key interval and 1-second segments, at the clip's
  // own pace (-re), as a live encoder runs.
  fs::create_directories(work / "ffmpeg/720p");
  fs::create_directories(work / "ffmpeg/360p");
  auto x264 = [](const std::string& rate, const std::string& buffer) {
    return "-c:v libx264 -preset veryfast -tune zerolatency -profile:v main -b:v " + rate +
           " -maxrate " + rate + " -bufsize " + buffer +
           " -g 30 -keyint_min 30 -sc_threshold 0 -c:a aac -b:a 128k -ac 2 -f hls -hls_time 1"
           " -hls_list_size 5 -hls_flags delete_segments ";
  };
  // The work directory comes from mkdtemp under /tmp: no spaces, so words split on spaces.
  std::vector<std::string> ff =
      words("ffmpeg -hide_banner -loglevel error -re -i " + clip.string() + " -f lavfi -t " +
            std::to_string(seconds) +
            " -i sine=frequency=440:sample_rate=48000 -filter_complex "
            "[0:v]split=2[hi][lo];[lo]scale=640:360[lo360] -map [hi] -map 1:a " +
            x264("2500k", "1500k") + (work / "ffmpeg/720p/index.m3u8").string() +
            " -map [lo360] -map 1:a " + x264("800k", "480k") +
            (work / "ffmpeg/360p/index.m3u8").string());
  Run ffmpeg = measure(ff, work / "ffmpeg/720p/index.m3u8", (work / "ffmpeg.log").string());

  std::printf("CPU per second of output (default ladder, veryfast):\n");
  print_cpu("studio (overlays, replay)", studio, seconds);
  print_cpu("ffmpeg (same ladder)", ffmpeg, seconds);
  std::printf("  ratio studio / ffmpeg: %.2f\n", studio.cpu_seconds / ffmpeg.cpu_seconds);
  if (studio.first_segment_seconds) {
    std::printf(
        "Time from start to the first playable segment: %.2f s (studio process start "
        "to a segment listed in 720p/index.m3u8)\n",
        *studio.first_segment_seconds);
  }

  return true;
}

void measure_latency(const fs::path& work) {
  // Glass-to-glass: an SRT publisher stamps capture time into a QR code; a player that starts
  // like hls.js takes the segment three from the live edge and shows its first frame at once.
  // Measured with the studio's own segmenter (the default), then with hlssink2. First, how late
  // each segment is listed after its last frame was captured (capture of its first frame plus its
  // EXTINF): the studio's own share of the latency, without the player's three segments.
  std::printf("Glass-to-glass latency, 1-second segments (capture -> first frame shown):\n");
  int attempt = 0;
  for (std::string segmenter : {"studio", "hlssink2"}) {
    std::uint16_t port = free_udp_port() + static_cast<std::uint16_t>(++attempt);
    fs::path live = work / ("live-" + segmenter);
    pid_t runner = spawn({STUDIO_RUNNER, "--hls", live.string(), "--source",
                          "srt://127.0.0.1:" + std::to_string(port), "--preset", "veryfast",
                          "--segmenter", segmenter},
                         live.string() + ".log");
    std::this_thread::sleep_for(std::chrono::seconds(1));
    Publisher publisher(port);
    fs::path playlist = live / "main/720p/index.m3u8";
    std::this_thread::sleep_for(std::chrono::seconds(10));

    // When each new segment is first listed, polled every 10 ms for 6 s; decoded afterwards.
    std::vector<std::pair<Listed, GstClockTime>> listed;
    std::string newest;
    auto until = Clock::now() + std::chrono::seconds(6);
    while (Clock::now() < until) {
      auto list = listing(playlist);
      if (!list.empty() && list.back().name != newest) {
        if (!newest.empty()) {
          listed.emplace_back(list.back(), monotonic_ns());
        }
        newest = list.back().name;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    std::vector<double> lag;
    for (const auto& [segment, when] : listed) {
      if (auto captured = first_frame_capture(playlist.parent_path() / segment.name, work,
                                              publisher.base_time)) {
        lag.push_back(static_cast<double>(when - *captured) / 1e9 - segment.seconds);
      }
    }

    // A player joins at any moment: ten samples spread evenly over the second after a segment is
    // listed. (A fixed period plus the decoding time came close to a whole number of segments,
    // so every sample met the same phase and the median moved by up to half a second.)
    std::vector<double> edge3;
    std::vector<double> oldest;
    constexpr int kSamples = 10;
    for (int sample = 0; sample < kSamples; ++sample) {
      auto before = segments(playlist);
      auto deadline = Clock::now() + std::chrono::seconds(5);
      while (Clock::now() < deadline && segments(playlist) == before) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds((sample * 1000 + 500) / kSamples));
      auto list = segments(playlist);
      GstClockTime shown = monotonic_ns();
      if (list.size() >= 3) {
        if (auto captured = first_frame_capture(playlist.parent_path() / list[list.size() - 3],
                                                work, publisher.base_time)) {
          edge3.push_back(static_cast<double>(shown - *captured) / 1e9);
        }
        if (auto captured = first_frame_capture(playlist.parent_path() / list.front(), work,
                                                publisher.base_time)) {
          oldest.push_back(static_cast<double>(shown - *captured) / 1e9);
        }
      }
    }
    auto report = [&](const char* what, std::vector<double> v) {
      if (v.empty()) {
        std::printf("  %-8s %s: no QR code could be read\n", segmenter.c_str(), what);
        return;
      }
      std::sort(v.begin(), v.end());
      std::printf("  %-8s %s: median %.2f s (min %.2f, max %.2f, %zu samples)\n", segmenter.c_str(),
                  what, v[v.size() / 2], v.front(), v.back(), v.size());
    };
    report("segment listed after its last frame's capture", lag);
    report("player 3 segments from the live edge (hls.js)", edge3);
    report("player at the playlist's first segment", oldest);
    kill(runner, SIGTERM);
    waitpid(runner, nullptr, 0);
  }
}

}  // namespace

int main(int argc, char** argv) {
  int seconds = 20;
  bool keep = false;
  std::string only;  // "cpu" or "latency": one half of the benchmark
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    if (flag == "--seconds" && i + 1 < argc) {
      seconds = std::max(5, std::atoi(argv[++i]));
    }
    if (flag == "--keep") {
      keep = true;
    }
    if (flag == "--only" && i + 1 < argc) {
      only = argv[++i];
    }
  }
  gst_init(&argc, &argv);
  char pattern[] = "/tmp/boai-bench-XXXXXX";
  fs::path work = mkdtemp(pattern);
  std::printf("stream_encode: %d s of 720p30 in %s\n", seconds, work.c_str());

  bool ok = true;
  if (only != "latency") {
    ok = measure_cpu(work, seconds);
  }
  if (only != "cpu") {
    measure_latency(work);
  }
  if (!keep) {
    fs::remove_all(work);
  }
  return ok ? 0 : 1;
}
