// A made-up MPEG-TS for the segmenter's tests: 188-byte packets with just the headers the
// segmenter reads (PAT, PMT, PES starts with a PTS, the random-access flag).
#pragma once

#include <array>
#include <cstdint>
#include <vector>

namespace boai::stream::test::ts_fixture {

using Packet = std::array<std::uint8_t, 188>;

constexpr int kPmtPid = 0x20;
constexpr int kVideoPid = 0x41;
constexpr int kAudioPid = 0x42;

Packet blank(int pid, bool unit_start);
Packet pat();
Packet pmt();
// A PES start with a PTS; a key frame carries the random-access flag in an adaptation field.
Packet pes(int pid, std::uint8_t stream_id, std::int64_t pts, bool key);
Packet video(std::int64_t pts, bool key);
Packet audio(std::int64_t pts);
Packet video_rest();  // a video packet that starts nothing

// A stream of `frames` video frames at 30 fps (two packets each) with a key frame every
// `key_interval`, audio between them, and the tables every 100 ms, starting at `pts`.
std::vector<std::uint8_t> stream(int frames, int key_interval, std::int64_t pts = 90000);

}  // namespace boai::stream::test::ts_fixture
