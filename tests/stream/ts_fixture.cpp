// The made-up transport stream's packets.
#include "ts_fixture.hpp"

#include <algorithm>
#include <iterator>

namespace boai::stream::test::ts_fixture {

Packet blank(int pid, bool unit_start) {
  Packet p;
  p.fill(0xff);
  p[0] = 0x47;
  p[1] = static_cast<std::uint8_t>((unit_start ? 0x40 : 0) | ((pid >> 8) & 0x1f));
  p[2] = static_cast<std::uint8_t>(pid & 0xff);
  p[3] = 0x10;  // payload only
  return p;
}

Packet pat() {
  Packet p = blank(0, true);
  const std::uint8_t section[] = {0x00, 0x00, 0xb0, 0x0d,    0x00, 0x01, 0xc1, 0x00, 0x00,
                                  0x00, 0x01, 0xe0, kPmtPid, 0x11, 0x22, 0x33, 0x44};
  std::copy(std::begin(section), std::end(section), p.begin() + 4);
  return p;
}

Packet pmt() {
  Packet p = blank(kPmtPid, true);
  p[4] = 0x00;
  p[5] = 0x02;  // table id: PMT; the rest is not read
  return p;
}

Packet pes(int pid, std::uint8_t stream_id, std::int64_t pts, bool key) {
  Packet p = blank(pid, true);
  std::size_t o = 4;
  if (key) {
    p[3] = 0x30;
    p[4] = 1;
    p[5] = 0x40;
    o = 6;
  }
  const std::uint8_t header[] = {0x00,
                                 0x00,
                                 0x01,
                                 stream_id,
                                 0x00,
                                 0x00,
                                 0x80,
                                 0x80,
                                 0x05,
                                 static_cast<std::uint8_t>(0x21 | ((pts >> 29) & 0x0e)),
                                 static_cast<std::uint8_t>((pts >> 22) & 0xff),
                                 static_cast<std::uint8_t>(0x01 | ((pts >> 14) & 0xfe)),
                                 static_cast<std::uint8_t>((pts >> 7) & 0xff),
                                 static_cast<std::uint8_t>(0x01 | ((pts << 1) & 0xfe))};
  std::copy(std::begin(header), std::end(header), p.begin() + static_cast<std::ptrdiff_t>(o));
  return p;
}

Packet video(std::int64_t pts, bool key) {
  return pes(kVideoPid, 0xe0, pts, key);
}
Packet audio(std::int64_t pts) {
  return pes(kAudioPid, 0xc0, pts, false);
}
Packet video_rest() {
  return blank(kVideoPid, false);
}

std::vector<std::uint8_t> stream(int frames, int key_interval, std::int64_t pts) {
  std::vector<std::uint8_t> out;
  auto add = [&](const Packet& p) { out.insert(out.end(), p.begin(), p.end()); };
  for (int f = 0; f < frames; ++f) {
    std::int64_t t = (pts + f * 3000) % (std::int64_t{1} << 33);
    if (f % 3 == 0) {
      add(pat());
      add(pmt());
    }
    add(audio(t));
    add(video(t, f % key_interval == 0));
    add(video_rest());
  }
  return out;
}

}  // namespace boai::stream::test::ts_fixture
