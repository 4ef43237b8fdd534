// Fuzz targets for what hosts type for the studio: the --source string and push targets' URLs.
#include <stdexcept>
#include <string>
#include <string_view>

#include "stream/push_url.hpp"
#include "stream/source_spec.hpp"
#include "tests/fuzz/fuzz_targets.hpp"

namespace boai::fuzz {

namespace {

bool printable(std::string_view text) {
  for (unsigned char c : text) {
    if (c < 0x20 || c == 0x7f) {
      return false;
    }
  }
  return true;
}

}  // namespace

void source(const std::uint8_t* data, std::size_t size) {
  auto text = view(data, size);
  auto spec = stream::parse_source(text);
  if (!spec) {
    require(spec.error().code == "source_invalid", "a refused source is source_invalid");
    require(printable(spec.error().message), "a refusal prints no control character");
    return;
  }
  require(spec->text == (text.empty() ? std::string_view("test") : text), "the source as typed");
  switch (spec->kind) {
    case stream::SourceKind::kTest:
      require(text.empty() || text == "test", "only test is the test pattern");
      break;
    case stream::SourceKind::kClock:
      require(text == "clock", "only clock is the clock");
      break;
    case stream::SourceKind::kV4l2:
      require(spec->device.starts_with("/dev/") && printable(spec->device), "a camera device");
      break;
    case stream::SourceKind::kSrt:
      require(spec->port > 0 && spec->uri.starts_with("srt://") && printable(spec->uri) &&
                  spec->uri.find(' ') == std::string::npos,
              "an SRT listener on a port");
      break;
    case stream::SourceKind::kRtmp:
      require(spec->uri == text && printable(text), "an RTMP stream pulled as given");
      break;
    case stream::SourceKind::kFile:
      require(!spec->path.empty(), "a file path");
      for (unsigned char c : spec->path) {
        require(c >= 0x20, "a file path without control characters");
      }
      break;
  }
}

void push_url(const std::uint8_t* data, std::size_t size) {
  auto url = view(data, size);
  auto push = stream::parse_push_url(url);
  // A URL's key follows its last slash (or the one before a slash that ends it).
  auto scheme = url.find("://");
  auto end = url.ends_with('/') ? url.size() - 1 : url.size();
  auto slash = end == 0 ? std::string_view::npos : url.rfind('/', end - 1);
  bool has_key = scheme != std::string_view::npos && slash != std::string_view::npos &&
                 slash > scheme + 2 && slash + 1 < end;
  const std::string& shown = push ? push->display : push.error().message;
  require(printable(shown), "what hosts see prints no control character");
  if (has_key) {
    // Hidden means unseen: the same URL with another key of that length reads the same up to
    // the reason. (Looking for the URL in the message was fooled by keys that the mask and the
    // message's own words spell: ***, rtmps://. — an hour of scripts/fuzz found three.)
    std::string other(url);
    for (auto i = slash + 1; i < end; ++i) {
      other[i] = other[i] == 'k' ? 'q' : 'k';
    }
    auto again = stream::parse_push_url(other);
    const std::string& shown_again = again ? again->display : again.error().message;
    auto quoted = [](std::string_view m) {
      if (m.starts_with("Push target ")) {
        m.remove_prefix(12);
      }
      return m.substr(0, m.find(" is not valid: "));
    };
    require(quoted(shown) == quoted(shown_again), "the stream key is hidden");
  }
  if (!push) {
    require(push.error().code == "push_url_invalid", "a refused URL is push_url_invalid");
    return;
  }
  require(push->url == url, "the URL goes to the sink as given");
  require(
      has_key && end == url.size() && (url.starts_with("rtmp://") || url.starts_with("rtmps://")),
      "an accepted URL is RTMP with a key at its end");
  if (slash + 1 + 4 <= 120) {  // longer displays are cut short, as every quoted input is
    require(push->display.ends_with("/****\""), "the display hides the key");
  }
}

}  // namespace boai::fuzz
