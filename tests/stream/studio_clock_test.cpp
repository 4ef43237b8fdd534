// The clock source through the whole studio: a frame of each rendition's HLS, decoded by ffmpeg
// and read by zbarimg, carries a capture time between the start of the test and the moment its
// segment was written.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <string>

#include "stream/clock_face.hpp"
#include "stream/studio.hpp"
#include "studio_support.hpp"

namespace bs = boai::stream;
namespace bt = boai::stream::test;
using namespace std::chrono_literals;

namespace {

std::int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::int64_t modified_ms(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return -1;
  }
  return static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000 + st.st_mtim.tv_nsec / 1'000'000;
}

// The capture time in the first frame of a segment, or nullopt when no clock reads there.
std::optional<std::int64_t> segment_clock(const std::string& segment, const std::string& image) {
  bt::run_command("ffmpeg -v error -y -i '" + segment + "' -frames:v 1 -pix_fmt gray -f image2 '" +
                  image + "' 2>&1");
  std::string text = bt::run_command("zbarimg -q --raw '" + image + "' 2>/dev/null");
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
    text.pop_back();
  }
  return bs::parse_clock_text(text);
}

}  // namespace

TEST_CASE("the clock source's capture time reads back from the 720p and 360p segments") {
  bt::TempDir dir;
  bt::EventLog log;
  auto config = bt::test_config(dir, "main");
  config.source = "clock";
  const std::int64_t started_ms = wall_ms();
  auto studio = bt::start_studio(config, log);

  for (const char* rendition : {"720p", "360p"}) {
    INFO(rendition);
    // The first segments may hold the black the studio shows until the input's first picture:
    // take each newly listed segment until one carries the clock.
    std::optional<std::int64_t> captured;
    std::int64_t written_ms = -1;
    for (std::int64_t sequence = 1; !captured && sequence < 30; ++sequence) {
      auto playlist = bt::wait_for_sequence(*studio, rendition, sequence, 60s);
      REQUIRE(playlist);
      std::string segment = studio->room_dir() + "/" + rendition + "/" + playlist->segments.back();
      written_ms = modified_ms(segment);
      captured = segment_clock(segment, dir.path() + "/" + rendition + ".pgm");
      sequence = std::max(sequence, playlist->media_sequence);
    }
    REQUIRE(captured);
    CHECK(*captured >= started_ms);
    CHECK(*captured <= written_ms);
    // A segment is listed about a segment after its first frame; a busy machine may add seconds.
    CHECK(written_ms - *captured < 30'000);
  }
  CHECK(bt::input_state(*studio, "camera") == "up");
}
